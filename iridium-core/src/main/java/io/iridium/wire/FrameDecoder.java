package io.iridium.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Turns the bytes of one connection into {@link WireMessage} records, one per frame.
 *
 * <pre>
 * +----------------+-----------+-------------------------+
 * | length u32     | type u8   | body (length - 1 bytes) |
 * +----------------+-----------+-------------------------+
 *   length = bytes after the length field, 1 .. maxFrameBytes
 * </pre>
 *
 * <p>Algorithm: wait for the four length bytes; reject the frame at once if its length is zero or
 * above the limit (so a peer claiming a 2 GiB frame costs four bytes, not 2 GiB); wait until the
 * whole frame has arrived, leaving {@code readerIndex} where it was; then decode the body in place
 * with the type's codec through a {@link BodyReader} bounded by the frame's end, and require the
 * body to be consumed exactly. Netty's cumulation joins frames split across reads; frames that
 * arrive together are decoded one per call. While a large frame ({@link #LARGE_FRAME_BYTES} or
 * more, such as a tunnel chunk) is incomplete, the reads are joined as components of a composite
 * buffer instead of being copied into one, so its bulk is copied once, into the decoded record.
 *
 * <p>Failure: a malformed frame fires a {@link MalformedFrameException} naming what was wrong
 * (through {@code exceptionCaught}); from then on the decoder discards everything the connection
 * sends, since the stream can no longer be trusted to be aligned on frames. The transport closes
 * the connection and logs the reason. No other exception leaves the decoder, and every decoded
 * message is a fresh record holding no reference to a {@code ByteBuf}, so nothing leaks.
 *
 * <p>Small event bodies are packed into a {@link BodySlab} (while someone reads events in place:
 * see the constructors), which the decoder leaves at the end of each read burst and when it is
 * removed; each decoded {@code Publish} carries a hold on its slab.
 *
 * <p>Threading: one instance per channel (it is stateful), used by that channel's event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    /** The size of the length field that precedes every frame. */
    public static final int LENGTH_FIELD_BYTES = 4;

    /** A frame at least this large is gathered without copying while it arrives (see above). */
    static final int LARGE_FRAME_BYTES = 16 * 1024;

    private final int maxFrameBytes;
    private final TextCache texts = new TextCache();
    private final BodySlab.Packer slabs = new BodySlab.Packer();
    private final BooleanSupplier packEventBodies;
    private boolean failed;
    private boolean awaitingLargeFrame;

    /**
     * A decoder for one connection that packs every small event body into slabs.
     *
     * @param maxFrameBytes the largest accepted frame, counting the type byte and body; normally
     *                      {@link io.iridium.Config#maxFrameBytes()}
     * @throws IllegalArgumentException if {@code maxFrameBytes} is below 1
     */
    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, () -> true);
    }

    /**
     * A decoder for one connection that packs small event bodies into slabs while
     * {@code packEventBodies} says so (asked once per frame; it must be cheap), and otherwise reads
     * each body into an array of its own, which a handler can then take as it is.
     *
     * @throws IllegalArgumentException if {@code maxFrameBytes} is below 1
     */
    public FrameDecoder(int maxFrameBytes, BooleanSupplier packEventBodies) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.packEventBodies = packEventBodies;
        setCumulator((alloc, cumulation, in) -> awaitingLargeFrame
                ? COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in)
                : mergeSmall(alloc, cumulation, in));
    }

    /**
     * Joins the unread tail of {@code cumulation} (usually the start of one small frame) and
     * {@code in}. Netty's merge writes {@code in} after the tail and grows the cumulation to fit,
     * and a grown buffer came from the allocator's unpooled fallback: a fresh, zeroed direct
     * buffer on most reads of a busy connection, since nearly every read ends inside a frame.
     * Here the two are copied into one pooled buffer of exactly their size unless the cumulation
     * has room for {@code in} as it is. Takes ownership of both, as a cumulator must.
     */
    private static ByteBuf mergeSmall(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable() && in.isContiguous()) {
            cumulation.release();
            return in;
        }
        try {
            int incoming = in.readableBytes();
            if (incoming <= cumulation.writableBytes() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()) {
                cumulation.writeBytes(in, in.readerIndex(), incoming);
                return cumulation;
            }
            int tail = cumulation.readableBytes();
            ByteBuf merged = alloc.buffer(tail + incoming);
            merged.writeBytes(cumulation, cumulation.readerIndex(), tail).writeBytes(in, in.readerIndex(), incoming);
            cumulation.release();
            return merged;
        } finally {
            in.release();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        awaitingLargeFrame = false;
        if (in.readableBytes() < LENGTH_FIELD_BYTES) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length == 0) {
            throw fail(in, new MalformedFrameException("frame of length 0 has no type byte"));
        }
        if (length > maxFrameBytes) {
            throw fail(in, new MalformedFrameException(
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes + " bytes"));
        }
        if (in.readableBytes() - LENGTH_FIELD_BYTES < length) {
            awaitingLargeFrame = length >= LARGE_FRAME_BYTES;
            return;
        }
        int end = start + LENGTH_FIELD_BYTES + (int) length;
        in.skipBytes(LENGTH_FIELD_BYTES);
        int type = in.readUnsignedByte();
        MessageCodec<?> codec = MessageCodecs.forType(type);
        if (codec == null) {
            throw fail(in, new MalformedFrameException(String.format("unknown frame type 0x%02x", type)));
        }
        BodyReader body = new BodyReader(in, end, codec.name(), texts, packEventBodies.getAsBoolean() ? slabs : null);
        try {
            WireMessage message = codec.decode(body);
            body.expectEnd();
            out.add(message);
        } catch (MalformedFrameException e) {
            throw fail(in, e);
        } catch (IllegalArgumentException e) {
            // A record refused a decoded value; the codec should have caught it first.
            throw fail(in, new MalformedFrameException(codec.name() + " frame: " + e.getMessage(), e));
        }
    }

    /** The read burst ended: the next burst's bodies go into a fresh slab, and this one can go back. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        slabs.leave();
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        slabs.leave();
    }

    private MalformedFrameException fail(ByteBuf in, MalformedFrameException reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return reason;
    }
}
