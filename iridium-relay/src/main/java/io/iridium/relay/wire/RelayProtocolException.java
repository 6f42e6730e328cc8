package io.iridium.relay.wire;

/**
 * A peer broke the relay protocol: an unknown or unexpected opcode, a malformed field, a length over
 * its bound. The connection that sent it is closed; the message says why, for the log.
 */
public final class RelayProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public RelayProtocolException(String message) {
        super(message);
    }
}
