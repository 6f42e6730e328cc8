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
 *                         least this many (0: the replicas this one has known, see
 *                         {@link ReplicaCore})
 * @param requestTimeout   how long one replica-to-replica request may take
 * @param types            application types to register beyond the built-in ones
 * @param temporary        a temporary replica (a command-line client joining for one command):
 *                         it does not serve the cluster, so the others never count it, and it
 *                         does not count itself toward the MAJORITY it needs
 */
public record ReplicaOptions(ReplicaConfig config, Optional<Path> dataDirectory, int expectedReplicas,
        Duration requestTimeout, List<ReplicatedType<?>> types, boolean temporary) {

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

    /** Default settings, in memory, counting the known replicas, 2 s requests, built-in types. */
    public static ReplicaOptions defaults() {
        return new ReplicaOptions(ReplicaConfig.defaults(), Optional.empty(), 0, Duration.ofSeconds(2), List.of(),
                false);
    }

    /** These options for a temporary replica (see {@link #temporary()}). */
    public ReplicaOptions asTemporary() {
        return new ReplicaOptions(config, dataDirectory, expectedReplicas, requestTimeout, types, true);
    }

    /** These options persisting to {@code directory}. */
    public ReplicaOptions withDataDirectory(Path directory) {
        return new ReplicaOptions(config, Optional.of(directory), expectedReplicas, requestTimeout, types, temporary);
    }

    /** These options with the replica set meant to have {@code count} replicas. */
    public ReplicaOptions withExpectedReplicas(int count) {
        return new ReplicaOptions(config, dataDirectory, count, requestTimeout, types, temporary);
    }

    /** These options with {@code newConfig}. */
    public ReplicaOptions withConfig(ReplicaConfig newConfig) {
        return new ReplicaOptions(newConfig, dataDirectory, expectedReplicas, requestTimeout, types, temporary);
    }

    /** These options with {@code type} registered too. */
    public ReplicaOptions withType(ReplicatedType<?> type) {
        List<ReplicatedType<?>> more = new java.util.ArrayList<>(types);
        more.add(type);
        return new ReplicaOptions(config, dataDirectory, expectedReplicas, requestTimeout, more, temporary);
    }
}
