package io.iridium.relay.client;

/**
 * Receives the events of one subscription, one at a time, in arrival order (Iris's
 * {@code TopicHandler}). Implement {@link #handleEvent(byte[])}; override
 * {@link #handleEvent(String, byte[])} instead to learn each event's topic, which differs from the
 * subscribed one when a relay node accepts Iridium's patterns ({@code *} for one token, a final
 * {@code >} for the rest).
 */
@FunctionalInterface
public interface IrisTopicHandler {

    void handleEvent(byte[] event);

    /** One event published to {@code topic}; calls {@link #handleEvent(byte[])} unless overridden. */
    default void handleEvent(String topic, byte[] event) {
        handleEvent(event);
    }
}
