package io.iridium.data.replication;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Replicas#join} sets up a replica; immutable, built with the {@code with*} methods.
 *
 * @param config           the core's settings (tick, anti-entropy period, retries, clock skew)
 * @param dataDirectory    where to persist states (empty: in memory only)
 * @param expectedReplicas the size the replica set is meant to have; MAJORITY and ALL count at
 *                         least this many (0: the current view only)
 * @param requestTimeout   how long one replica-to-replica request may take
 * @param types            application types to register beyond the built-in ones
 */
public record ReplicaOptions(ReplicaConfig config, Optional<Path> dataDirectory, int expectedReplicas,
        Duration requestTimeout, List<ReplicatedType<?>> types) {

    /** Validates and copies. */
    public ReplicaOptions {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        types = List.copyOf(types);
        if (expectedReplicas < 0) {
            throw new IllegalArgumentException("expectedReplicas must be >= 0");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    /** Default settings, in memory, counting the current view, 2 s requests, built-in types. */
    public static ReplicaOptions defaults() {
        return new ReplicaOptions(ReplicaConfig.defaults(), Optional.empty(), 0, Duration.ofSeconds(2), List.of());
    }

    /** These options persisting to {@code directory}. */
    public ReplicaOptions withDataDirectory(Path directory) {
        return new ReplicaOptions(config, Optional.of(directory), expectedReplicas, requestTimeout, types);
    }

    /** These options with the replica set meant to have {@code count} replicas. */
    public ReplicaOptions withExpectedReplicas(int count) {
        return new ReplicaOptions(config, dataDirectory, count, requestTimeout, types);
    }

    /** These options with {@code newConfig}. */
    public ReplicaOptions withConfig(ReplicaConfig newConfig) {
        return new ReplicaOptions(newConfig, dataDirectory, expectedReplicas, requestTimeout, types);
    }

    /** These options with {@code type} registered too. */
    public ReplicaOptions withType(ReplicatedType<?> type) {
        List<ReplicatedType<?>> more = new java.util.ArrayList<>(types);
        more.add(type);
        return new ReplicaOptions(config, dataDirectory, expectedReplicas, requestTimeout, more);
    }
}
