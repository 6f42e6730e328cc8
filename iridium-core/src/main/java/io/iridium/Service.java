package io.iridium;

/**
 * A registered service: this node is a member of {@link #cluster()} until {@link #close()}.
 * Closing unregisters (the registry forgets this member) and lets running handlers finish.
 */
public interface Service extends AutoCloseable {

    /** The cluster this service serves. */
    String cluster();

    /** Unregisters. Requests already accepted still get their replies. Idempotent. */
    @Override
    void close();
}
