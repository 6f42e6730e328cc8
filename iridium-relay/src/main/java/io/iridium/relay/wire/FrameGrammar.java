package io.iridium.relay.wire;

/**
 * What one direction's packets look like, for {@link RelayDecoder}: which opcodes may come during
 * and after the handshake, and how each opcode's fields are read.
 *
 * @param <F> the frame type of the direction
 */
public interface FrameGrammar<F> {

    /**
     * Reads the fields of a packet whose opcode was {@code opcode}; the result is discarded if
     * {@link FieldReader#underflow()} is set afterwards.
     *
     * @param handshakeDone whether a handshake packet was already decoded on this stream
     * @throws RelayProtocolException for an opcode not allowed at this point or a malformed field
     */
    F read(int opcode, boolean handshakeDone, FieldReader in) throws RelayProtocolException;

    /** Whether {@code frame} is the handshake packet, after which only post-handshake opcodes are allowed. */
    boolean isHandshake(F frame);
}
