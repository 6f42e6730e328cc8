package io.iridium;

/**
 * How much a subscription accepts at once (Iris's {@code TopicLimits}). Events beyond either bound
 * are dropped and counted in the node's metrics, never queued without limit.
 *
 * @param concurrency  events handled at the same time (1 keeps each publisher's order)
 * @param memoryBytes  bytes of events queued or being handled
 */
public record TopicLimits(int concurrency, long memoryBytes) {

    /** One handler at a time, so events arrive in publish order, and 64 MiB of backlog. */
    public static final TopicLimits DEFAULT = new TopicLimits(1, 64L << 20);

    public TopicLimits {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (memoryBytes < 1) {
            throw new IllegalArgumentException("memoryBytes must be at least 1");
        }
    }
}
