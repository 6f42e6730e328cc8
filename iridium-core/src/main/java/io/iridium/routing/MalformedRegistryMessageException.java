package io.iridium.routing;

/**
 * Bytes that do not decode to a valid {@link RegistryMessage}: truncated, oversized, an unknown
 * version, type or flag, a count out of bounds, an invalid cluster name or pattern, entries out
 * of order, invalid UTF-8, or trailing bytes.
 *
 * <p>Checked on purpose: a driver must decide what to do with a bad datagram (log the reason and
 * drop it), and the compiler makes sure it does. The message names the first problem found.
 */
public final class MalformedRegistryMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedRegistryMessageException(String reason) {
        super(reason);
    }
}
