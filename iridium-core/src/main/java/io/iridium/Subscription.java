package io.iridium;

/** A subscription made with {@link Node#subscribe}; {@link #close()} unsubscribes. */
public interface Subscription extends AutoCloseable {

    /** The pattern subscribed to. */
    String pattern();

    /** Unsubscribes. Events already queued are still delivered. Idempotent. */
    @Override
    void close();
}
