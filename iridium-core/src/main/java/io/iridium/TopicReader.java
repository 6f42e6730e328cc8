package io.iridium;

import java.nio.ByteBuffer;

/**
 * Reads the events of a subscription in place ({@link Node#subscribeInPlace}): the event is shown
 * as a read-only view of the memory it arrived in, valid only until {@link #readEvent} returns.
 * For high-rate subscribers that parse or copy out what they need: a small event received from
 * another node is read straight from a recycled buffer shared with the events that arrived with
 * it, so receiving allocates nothing per event and the bytes are still in the CPU's cache when the
 * reader runs. Runs on virtual threads bounded by the subscription's {@link TopicLimits}, exactly
 * as a {@link TopicHandler}.
 */
@FunctionalInterface
public interface TopicReader {

    /**
     * One event; {@code topic} is the subject it was published to. {@code event} holds the event
     * from its position (0) to its limit; neither it nor its content may be used after this
     * method returns (copy what you keep), since the memory is then reused for other events.
     */
    void readEvent(String topic, ByteBuffer event);
}
