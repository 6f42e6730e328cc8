package io.iridium.wire;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame that this node cannot accept: longer than the connection's limit, of an unknown type,
 * with a field that runs past the frame's end, with bytes left over after its last field, or with
 * a field whose value is invalid (malformed UTF-8, a blank host, a boolean that is neither 0 nor 1).
 *
 * <p>{@link FrameDecoder} fires this through the pipeline's {@code exceptionCaught} and then
 * discards everything else the connection sends; the transport closes that one connection and
 * logs {@link #getMessage()}, which names the frame type and the offending field. Being a
 * {@link CorruptedFrameException}, it passes through Netty's decoder machinery unwrapped.
 */
public final class MalformedFrameException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    /**
     * A malformed frame.
     *
     * @param reason what was wrong with the frame, for the log
     */
    public MalformedFrameException(String reason) {
        super(reason);
    }

    /**
     * A malformed frame, found through a lower-level failure.
     *
     * @param reason what was wrong with the frame, for the log
     * @param cause  the lower-level failure (for example a character decoding error)
     */
    public MalformedFrameException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
