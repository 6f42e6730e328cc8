package io.iridium;

/**
 * How much work a service accepts at once (Iris's {@code ServiceLimits}). Handlers run on virtual
 * threads; these bounds keep a burst from exhausting memory or starving other services.
 *
 * <p>Over a limit, a request is refused before it runs (the sender retries on another member or
 * fails with {@link IridiumException.Overloaded}) and a broadcast is dropped; both are counted in
 * the node's metrics.
 *
 * @param requestConcurrency   requests handled at the same time
 * @param requestMemoryBytes   bytes of requests queued or running
 * @param broadcastConcurrency broadcasts handled at the same time (1 keeps each sender's order)
 * @param broadcastMemoryBytes bytes of broadcasts queued or running
 */
public record ServiceLimits(int requestConcurrency, long requestMemoryBytes, int broadcastConcurrency, long broadcastMemoryBytes) {

    /**
     * Four request handlers per core, as Iris had; one broadcast handler, so broadcasts are
     * handled in the order each sender sent them; 64 MiB of backlog each.
     */
    public static final ServiceLimits DEFAULT = new ServiceLimits(
            4 * Runtime.getRuntime().availableProcessors(), 64L << 20,
            1, 64L << 20);

    public ServiceLimits {
        if (requestConcurrency < 1 || broadcastConcurrency < 1) {
            throw new IllegalArgumentException("concurrency limits must be at least 1");
        }
        if (requestMemoryBytes < 1 || broadcastMemoryBytes < 1) {
            throw new IllegalArgumentException("memory limits must be at least 1 byte");
        }
    }
}
