package io.iridium.membership;

/**
 * A datagram that does not decode to a valid {@link SwimMessage}: truncated, oversized, an
 * unknown version or type, a count or length out of bounds, invalid UTF-8, or trailing bytes.
 *
 * <p>Checked on purpose: a driver must decide what to do with a bad datagram (log the reason
 * and drop it), and the compiler makes sure it does. The message names the first problem found.
 */
public final class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String reason) {
        super(reason);
    }
}
