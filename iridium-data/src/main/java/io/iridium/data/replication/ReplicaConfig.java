package io.iridium.data.replication;

import java.time.Duration;

/**
 * How a replica behaves; validated once.
 *
 * @param tick                   how often the runtime ticks the core (the simulator uses its own
 *                               tick); each tick flushes the batched deltas (default 50 ms)
 * @param antiEntropyEveryTicks  a digest goes to one random replica every this many ticks
 *                               (default 20, one second at the default tick)
 * @param retryEveryTicks        unacknowledged writes and unanswered reads are resent every this
 *                               many ticks until their timeout (default 4)
 * @param maxClockSkewMillis     the hybrid logical clock rejects remote timestamps further ahead
 *                               of local time than this (default 60 s)
 * @param forgetRetiredAfterMillis a counter's tombstone of a replica that left (see
 *                               {@link ReplicaCore#leave}) is dropped this long after this replica
 *                               first saw it (default one hour; 0 keeps tombstones forever). It
 *                               must exceed the longest time a replica can be cut off from the
 *                               set and still come back with its old state: see
 *                               {@link ReplicaCore} for why
 */
public record ReplicaConfig(Duration tick, int antiEntropyEveryTicks, int retryEveryTicks, long maxClockSkewMillis,
        long forgetRetiredAfterMillis) {

    /** Validates the record. */
    public ReplicaConfig {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive: " + tick);
        }
        if (antiEntropyEveryTicks < 1 || retryEveryTicks < 1) {
            throw new IllegalArgumentException("antiEntropyEveryTicks and retryEveryTicks must be >= 1");
        }
        if (maxClockSkewMillis < 0) {
            throw new IllegalArgumentException("maxClockSkewMillis must be >= 0");
        }
        if (forgetRetiredAfterMillis < 0) {
            throw new IllegalArgumentException("forgetRetiredAfterMillis must be >= 0 (0: never)");
        }
    }

    /**
     * The defaults: 50 ms ticks, anti-entropy every second, retries every 200 ms, 60 s skew,
     * tombstones of departed counter replicas forgotten after an hour.
     */
    public static ReplicaConfig defaults() {
        return new ReplicaConfig(Duration.ofMillis(50), 20, 4, 60_000, 3_600_000);
    }

    /** These settings forgetting departed replicas' tombstones after {@code millis} (0: never). */
    public ReplicaConfig withForgetRetiredAfterMillis(long millis) {
        return new ReplicaConfig(tick, antiEntropyEveryTicks, retryEveryTicks, maxClockSkewMillis, millis);
    }

    /** These settings with anti-entropy every {@code ticks} ticks. */
    public ReplicaConfig withAntiEntropyEveryTicks(int ticks) {
        return new ReplicaConfig(tick, ticks, retryEveryTicks, maxClockSkewMillis, forgetRetiredAfterMillis);
    }

    /** These settings with ticks of {@code newTick}. */
    public ReplicaConfig withTick(Duration newTick) {
        return new ReplicaConfig(newTick, antiEntropyEveryTicks, retryEveryTicks, maxClockSkewMillis,
                forgetRetiredAfterMillis);
    }
}
