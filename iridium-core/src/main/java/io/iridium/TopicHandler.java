package io.iridium;

/**
 * Receives the events published to topics matching a subscription's pattern. Runs on virtual
 * threads bounded by the subscription's {@link TopicLimits}; with the default concurrency of one,
 * events from one publisher arrive in publish order.
 */
@FunctionalInterface
public interface TopicHandler {

    /** One event; {@code topic} is the subject it was published to. */
    void handleEvent(String topic, byte[] event);
}
