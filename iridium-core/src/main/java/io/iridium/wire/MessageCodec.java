package io.iridium.wire;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes the body of one {@link WireMessage} type: everything after the frame's type
 * byte. A codec writes exactly the fields its decoder reads, in the same order, so that decoding
 * then re-encoding any accepted body reproduces it byte for byte. Decoders read only through a
 * {@link BodyReader}, which bounds every read by the frame; they never see the length or type
 * fields and never hold on to the buffer.
 *
 * @param <T> the record this codec handles
 */
interface MessageCodec<T extends WireMessage> {

    /** The frame type byte, unique among codecs, 0 to 255. */
    int type();

    /** The message's name, for error messages. */
    String name();

    /** Appends the body of {@code message} to {@code out}. */
    void encode(T message, ByteBuf out);

    /**
     * Reads one body; the caller checks that nothing is left over afterwards.
     *
     * @throws MalformedFrameException if a field is truncated or invalid
     */
    T decode(BodyReader in);
}
