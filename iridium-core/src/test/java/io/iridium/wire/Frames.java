package io.iridium.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.wire.WireMessage.Goodbye;
import io.iridium.wire.WireMessage.Heartbeat;
import io.iridium.wire.WireMessage.Hello;
import io.iridium.wire.WireMessage.HelloAck;
import io.iridium.wire.WireMessage.Payload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Test helpers: sample messages of every type, and encoding and decoding through real
 * {@link EmbeddedChannel} pipelines that check every input buffer was released.
 */
final class Frames {

    static final int MAX = 64 * 1024;

    private Frames() {}

    /** At least one message of every type, with edge values: empty, maximal, non-ASCII, IPv6. */
    static List<WireMessage> samples() {
        NodeId id = new NodeId(0x0123456789abcdefL, -1L);
        byte[] big = new byte[10_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        return List.of(
                new Hello(WireMessage.PROTOCOL_VERSION, id, "node-1", new Endpoint("10.0.0.1", 7946)),
                new Hello(65_535, new NodeId(0, 0), "", new Endpoint("fe80::1", 0)),
                new Hello(0, id, "ünïcødé \uD83D\uDE80 名前", new Endpoint("host.example", 65_535)),
                new Hello(1, id, "x".repeat(WireMessage.MAX_TEXT_BYTES), new Endpoint("h".repeat(1024), 1)),
                new HelloAck(WireMessage.PROTOCOL_VERSION, id, true, ""),
                new HelloAck(2, id, false, "protocol version 2 is not supported"),
                new Heartbeat(0),
                new Heartbeat(Long.MIN_VALUE),
                new Heartbeat(1_700_000_000_000L),
                new Goodbye(""),
                new Goodbye("shutting down"),
                new Payload(0, new byte[0]),
                new Payload(-1, new byte[] {1, 2, 3}),
                new Payload(Integer.MAX_VALUE, big),
                new WireMessage.Request(1, "databases", 5_000, new byte[] {9, 8, 7}),
                new WireMessage.Request(Long.MIN_VALUE, "ünï.cluster", Integer.MAX_VALUE, big),
                new WireMessage.Reply(1, new byte[0]),
                new WireMessage.Reply(-7, big),
                new WireMessage.Refused(3, WireMessage.Refused.Reason.NOT_MEMBER),
                new WireMessage.Refused(4, WireMessage.Refused.Reason.OVERLOADED),
                new WireMessage.Refused(5, WireMessage.Refused.Reason.EXPIRED),
                new WireMessage.Failed(6, "handler threw: ünïcødé"),
                new WireMessage.Failed(7, ""),
                new WireMessage.Broadcast("databases", new byte[] {1}),
                new WireMessage.Publish("orders.eu.created", new byte[0]),
                new WireMessage.TunnelOpen(1, "files", 10_000, 1 << 20),
                new WireMessage.TunnelAccept(1, 0),
                new WireMessage.TunnelRefuse(2, true, "not a member"),
                new WireMessage.TunnelRefuse(3, false, ""),
                new WireMessage.TunnelData(1, false, big),
                new WireMessage.TunnelData(1, true, new byte[0]),
                new WireMessage.TunnelCredit(1, Long.MAX_VALUE),
                new WireMessage.TunnelEnd(1),
                new WireMessage.TunnelAbort(1, "peer failed"));
    }

    /** The frame bytes of {@code message}, produced by a {@link FrameEncoder}. */
    static byte[] encode(WireMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(MAX));
        assertThat(channel.writeOutbound(message)).isTrue();
        ByteBuf frame = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
            assertThat(channel.finish()).isFalse();
        }
    }

    /** The frames of {@code messages}, back to back. */
    static byte[] encodeAll(List<? extends WireMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (WireMessage message : messages) {
            out.writeBytes(encode(message));
        }
        return out.toByteArray();
    }

    /** What a decoder made of some input: the messages, then possibly one failure. */
    record Outcome(List<WireMessage> messages, Optional<MalformedFrameException> failure) {}

    /** Feeds {@code bytes} to a fresh decoder in one piece. */
    static Outcome decode(int maxFrameBytes, byte[] bytes) {
        return decodePieces(maxFrameBytes, List.of(bytes));
    }

    /** Feeds {@code bytes} in pieces of {@code pieceSize} (the last may be shorter). */
    static Outcome decodeInPieces(int maxFrameBytes, byte[] bytes, int pieceSize) {
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += pieceSize) {
            pieces.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + pieceSize)));
        }
        return decodePieces(maxFrameBytes, pieces);
    }

    /** Feeds {@code bytes} split in two at {@code split}. */
    static Outcome decodeSplit(int maxFrameBytes, byte[] bytes, int split) {
        return decodePieces(maxFrameBytes,
                List.of(Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length)));
    }

    /**
     * Feeds each piece to one decoder in its own read, collecting what comes out; checks that at
     * most one exception is fired, that it is a {@link MalformedFrameException}, that only
     * {@link WireMessage}s are produced, and that every input buffer is released at the end.
     */
    static Outcome decodePieces(int maxFrameBytes, List<byte[]> pieces) {
        return decodePieces(maxFrameBytes, pieces, -1);
    }

    /**
     * As {@link #decodePieces(int, List)}, each piece in a buffer with exactly {@code spare} bytes
     * of room after it ({@code 0}: a buffer that cannot grow), or as the allocator sizes it when
     * {@code spare} is negative. The decoder joins a read to the unread tail of the one before
     * either in the tail's room or in a new buffer; this picks which.
     */
    static Outcome decodePieces(int maxFrameBytes, List<byte[]> pieces, int spare) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(maxFrameBytes));
        List<ByteBuf> inputs = new ArrayList<>();
        List<WireMessage> messages = new ArrayList<>();
        MalformedFrameException failure = null;
        for (byte[] piece : pieces) {
            ByteBuf buf = (spare < 0
                    ? channel.alloc().buffer(piece.length)
                    : Unpooled.directBuffer(piece.length + spare, piece.length + spare)).writeBytes(piece);
            inputs.add(buf);
            try {
                channel.writeInbound(buf);
            } catch (MalformedFrameException e) {
                assertThat(failure).as("a second failure after %s", failure).isNull();
                failure = e;
            }
            drain(channel, messages);
        }
        channel.finish();
        drain(channel, messages);
        for (ByteBuf input : inputs) {
            assertThat(input.refCnt()).as("input buffer released").isZero();
        }
        return new Outcome(List.copyOf(messages), Optional.ofNullable(failure));
    }

    private static void drain(EmbeddedChannel channel, List<WireMessage> messages) {
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            assertThat(message).isInstanceOf(WireMessage.class);
            messages.add((WireMessage) message);
        }
    }

    /** Big-endian u32. */
    static byte[] u32(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** Concatenation. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A frame with the given type byte and body, its length computed. */
    static byte[] frame(int type, byte[] body) {
        return concat(u32(body.length + 1L), new byte[] {(byte) type}, body);
    }

    /** Bytes from ints, for readable test literals. */
    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
