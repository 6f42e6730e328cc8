package io.iridium.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Turns {@link WireMessage} records into frames: a length placeholder, the type byte and body
 * from the message's codec, then the length patched in (see {@link FrameDecoder} for the layout).
 *
 * <p>A message whose frame would exceed the limit is not sent: the write's future fails with an
 * {@link io.netty.handler.codec.EncoderException} whose cause says how large it was, and the
 * connection stays open. The encoder holds no per-connection state, so one instance may be shared
 * by every pipeline with the same limit.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<WireMessage> {

    private final int maxFrameBytes;

    /**
     * An encoder that refuses frames above a limit.
     *
     * @param maxFrameBytes the largest frame to send, counting the type byte and body; normally
     *                      {@link io.iridium.Config#maxFrameBytes()}, matching the peer's decoder
     * @throws IllegalArgumentException if {@code maxFrameBytes} is below 1
     */
    public FrameEncoder(int maxFrameBytes) {
        super(WireMessage.class);
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Sizes the buffer for the message, so that a large payload is not copied as the buffer grows. */
    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, WireMessage message, boolean preferDirect) {
        int capacity = message instanceof WireMessage.Payload payload
                ? FrameDecoder.LENGTH_FIELD_BYTES + 1 + 8 + payload.body().length
                : 64;
        return preferDirect ? ctx.alloc().ioBuffer(capacity) : ctx.alloc().heapBuffer(capacity);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireMessage message, ByteBuf out) {
        encodeFrame(message, out, maxFrameBytes);
    }

    /**
     * Appends the frame of {@code message} to {@code out}: what the encoder writes for it, for
     * senders that pack many frames into one buffer.
     *
     * @throws IllegalArgumentException if the frame would exceed {@code maxFrameBytes}; nothing
     *                                  is left in {@code out} then
     */
    public static void encodeFrame(WireMessage message, ByteBuf out, int maxFrameBytes) {
        int start = out.writerIndex();
        out.writeInt(0);
        MessageCodecs.encode(message, out);
        endFrame(message, out, start, out.writerIndex() - start - FrameDecoder.LENGTH_FIELD_BYTES, maxFrameBytes);
    }

    /**
     * Appends the frame of {@code data} up to its chunk's bytes, which the caller writes right after
     * as a buffer of their own: together they are the bytes {@link #encodeFrame} writes, without
     * copying a large chunk into the frame buffer.
     *
     * @throws IllegalArgumentException if the frame would exceed {@code maxFrameBytes}; nothing
     *                                  is left in {@code out} then
     */
    public static void encodeFrameHead(WireMessage.TunnelData data, ByteBuf out, int maxFrameBytes) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(MessageCodecs.TUNNEL_DATA.type());
        MessageCodecs.writeTunnelDataHead(data, out);
        endFrame(data, out, start, out.writerIndex() - start - FrameDecoder.LENGTH_FIELD_BYTES + (long) data.chunk().length,
                maxFrameBytes);
    }

    /**
     * Fills in the length field at {@code start} with the frame's {@code length}, or, past the
     * limit, removes the frame from {@code out} and throws, naming the message's type.
     */
    private static void endFrame(WireMessage message, ByteBuf out, int start, long length, int maxFrameBytes) {
        if (length > maxFrameBytes) {
            out.writerIndex(start);
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " frame of " + length
                    + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
        }
        out.setInt(start, (int) length);
    }
}
