package io.iridium.wire;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.wire.WireMessage.Goodbye;
import io.iridium.wire.WireMessage.Heartbeat;
import io.iridium.wire.WireMessage.Hello;
import io.iridium.wire.WireMessage.HelloAck;
import io.iridium.wire.WireMessage.Broadcast;
import io.iridium.wire.WireMessage.Failed;
import io.iridium.wire.WireMessage.Payload;
import io.iridium.wire.WireMessage.Publish;
import io.iridium.wire.WireMessage.Refused;
import io.iridium.wire.WireMessage.Reply;
import io.iridium.wire.WireMessage.Request;
import io.iridium.wire.WireMessage.TunnelAbort;
import io.iridium.wire.WireMessage.TunnelAccept;
import io.iridium.wire.WireMessage.TunnelCredit;
import io.iridium.wire.WireMessage.TunnelData;
import io.iridium.wire.WireMessage.TunnelEnd;
import io.iridium.wire.WireMessage.TunnelOpen;
import io.iridium.wire.WireMessage.TunnelRefuse;
import io.netty.buffer.ByteBuf;

/**
 * The registry of {@link MessageCodec}s: one per {@link WireMessage} record, looked up by type
 * byte when decoding (a 256-slot table, so lookup is one array read) and by an exhaustive
 * {@code switch} over the sealed interface when encoding, so adding a record without a codec does
 * not compile. Type bytes are part of the protocol: never reuse or renumber one.
 *
 * <pre>
 *   type  message     body
 *   0x01  Hello       u16 version, NodeId from, text name, text host, u16 port
 *   0x02  HelloAck    u16 version, NodeId from, u8 accepted, text reason
 *   0x03  Heartbeat   i64 sentAtMillis
 *   0x04  Goodbye     text reason
 *   0x05  Payload     i32 channel, u32 length, length bytes
 *   0x10  Request     i64 id, text cluster, i32 timeoutMillis, u32 length, bytes
 *   0x11  Reply       i64 id, u32 length, bytes
 *   0x12  Refused     i64 id, u8 reason (1 not member, 2 overloaded, 3 expired)
 *   0x13  Failed      i64 id, text message
 *   0x14  Broadcast   text cluster, u32 length, bytes
 *   0x15  Publish     text topic, u32 length, bytes
 *   0x20  TunnelOpen  i64 tunnel, text cluster, i32 timeoutMillis, i64 credit
 *   0x21  TunnelAccept i64 tunnel, i64 credit
 *   0x22  TunnelRefuse i64 tunnel, u8 notMember, text reason
 *   0x23  TunnelData  i64 tunnel, u8 endOfMessage, u32 length, bytes
 *   0x24  TunnelCredit i64 tunnel, i64 bytes
 *   0x25  TunnelEnd   i64 tunnel
 *   0x26  TunnelAbort i64 tunnel, text reason
 *
 *   NodeId = i64 high, i64 low;  text = u16 length, length bytes of UTF-8
 * </pre>
 */
final class MessageCodecs {

    static final MessageCodec<Hello> HELLO = new HelloCodec();
    static final MessageCodec<HelloAck> HELLO_ACK = new HelloAckCodec();
    static final MessageCodec<Heartbeat> HEARTBEAT = new HeartbeatCodec();
    static final MessageCodec<Goodbye> GOODBYE = new GoodbyeCodec();
    static final MessageCodec<Payload> PAYLOAD = new PayloadCodec();
    static final MessageCodec<Request> REQUEST = codec(0x10, "Request",
            (m, out) -> { out.writeLong(m.id()); writeText(m.cluster(), out); out.writeInt(m.timeoutMillis()); writeBytes(m.body(), out); },
            in -> new Request(in.i64("id"), in.text("cluster"), positive(in.i32("timeoutMillis"), "timeoutMillis"), in.bytes("body")));
    static final MessageCodec<Reply> REPLY = codec(0x11, "Reply",
            (m, out) -> { out.writeLong(m.id()); writeBytes(m.body(), out); },
            in -> new Reply(in.i64("id"), in.bytes("body")));
    static final MessageCodec<Refused> REFUSED = codec(0x12, "Refused",
            (m, out) -> { out.writeLong(m.id()); out.writeByte(m.reason().ordinal() + 1); },
            in -> new Refused(in.i64("id"), refusalReason(in.u8("reason"))));
    static final MessageCodec<Failed> FAILED = codec(0x13, "Failed",
            (m, out) -> { out.writeLong(m.id()); writeText(m.message(), out); },
            in -> new Failed(in.i64("id"), in.text("message")));
    static final MessageCodec<Broadcast> BROADCAST = codec(0x14, "Broadcast",
            (m, out) -> { writeText(m.cluster(), out); writeBytes(m.body(), out); },
            in -> new Broadcast(in.text("cluster"), in.bytes("body")));
    static final MessageCodec<Publish> PUBLISH = codec(0x15, "Publish",
            (m, out) -> { writeText(m.topic(), out); writeBytes(m.array(), m.offset(), m.length(), out); },
            in -> in.publish(in.text("topic"), "body"));
    static final MessageCodec<TunnelOpen> TUNNEL_OPEN = codec(0x20, "TunnelOpen",
            (m, out) -> { out.writeLong(m.tunnel()); writeText(m.cluster(), out); out.writeInt(m.timeoutMillis()); out.writeLong(m.credit()); },
            in -> new TunnelOpen(in.i64("tunnel"), in.text("cluster"), positive(in.i32("timeoutMillis"), "timeoutMillis"),
                    notNegative(in.i64("credit"), "credit")));
    static final MessageCodec<TunnelAccept> TUNNEL_ACCEPT = codec(0x21, "TunnelAccept",
            (m, out) -> { out.writeLong(m.tunnel()); out.writeLong(m.credit()); },
            in -> new TunnelAccept(in.i64("tunnel"), notNegative(in.i64("credit"), "credit")));
    static final MessageCodec<TunnelRefuse> TUNNEL_REFUSE = codec(0x22, "TunnelRefuse",
            (m, out) -> { out.writeLong(m.tunnel()); out.writeByte(m.notMember() ? 1 : 0); writeText(m.reason(), out); },
            in -> new TunnelRefuse(in.i64("tunnel"), in.bool("notMember"), in.text("reason")));
    static final MessageCodec<TunnelData> TUNNEL_DATA = codec(0x23, "TunnelData",
            (m, out) -> { writeTunnelDataHead(m, out); out.writeBytes(m.chunk()); },
            in -> new TunnelData(in.i64("tunnel"), in.bool("endOfMessage"), in.chunk("chunk")));
    static final MessageCodec<TunnelCredit> TUNNEL_CREDIT = codec(0x24, "TunnelCredit",
            (m, out) -> { out.writeLong(m.tunnel()); out.writeLong(m.bytes()); },
            in -> new TunnelCredit(in.i64("tunnel"), positive(in.i64("bytes"), "bytes")));
    static final MessageCodec<TunnelEnd> TUNNEL_END = codec(0x25, "TunnelEnd",
            (m, out) -> out.writeLong(m.tunnel()),
            in -> new TunnelEnd(in.i64("tunnel")));
    static final MessageCodec<TunnelAbort> TUNNEL_ABORT = codec(0x26, "TunnelAbort",
            (m, out) -> { out.writeLong(m.tunnel()); writeText(m.reason(), out); },
            in -> new TunnelAbort(in.i64("tunnel"), in.text("reason")));

    private static final MessageCodec<?>[] BY_TYPE = new MessageCodec<?>[256];

    static {
        for (MessageCodec<?> codec : new MessageCodec<?>[] {HELLO, HELLO_ACK, HEARTBEAT, GOODBYE, PAYLOAD,
                REQUEST, REPLY, REFUSED, FAILED, BROADCAST, PUBLISH, TUNNEL_OPEN, TUNNEL_ACCEPT, TUNNEL_REFUSE,
                TUNNEL_DATA, TUNNEL_CREDIT, TUNNEL_END, TUNNEL_ABORT}) {
            if (BY_TYPE[codec.type()] != null) {
                throw new AssertionError("two codecs for type " + codec.type());
            }
            BY_TYPE[codec.type()] = codec;
        }
    }

    private MessageCodecs() {}

    /** The codec for a type byte, or {@code null} for an unknown type. */
    static MessageCodec<?> forType(int type) {
        return BY_TYPE[type & 0xFF];
    }

    /** Writes {@code message}'s type byte and body to {@code out}. */
    static void encode(WireMessage message, ByteBuf out) {
        switch (message) {
            case Hello m -> write(HELLO, m, out);
            case HelloAck m -> write(HELLO_ACK, m, out);
            case Heartbeat m -> write(HEARTBEAT, m, out);
            case Goodbye m -> write(GOODBYE, m, out);
            case Payload m -> write(PAYLOAD, m, out);
            case Request m -> write(REQUEST, m, out);
            case Reply m -> write(REPLY, m, out);
            case Refused m -> write(REFUSED, m, out);
            case Failed m -> write(FAILED, m, out);
            case Broadcast m -> write(BROADCAST, m, out);
            case Publish m -> write(PUBLISH, m, out);
            case TunnelOpen m -> write(TUNNEL_OPEN, m, out);
            case TunnelAccept m -> write(TUNNEL_ACCEPT, m, out);
            case TunnelRefuse m -> write(TUNNEL_REFUSE, m, out);
            case TunnelData m -> write(TUNNEL_DATA, m, out);
            case TunnelCredit m -> write(TUNNEL_CREDIT, m, out);
            case TunnelEnd m -> write(TUNNEL_END, m, out);
            case TunnelAbort m -> write(TUNNEL_ABORT, m, out);
        }
    }

    private static <T extends WireMessage> void write(MessageCodec<T> codec, T message, ByteBuf out) {
        out.writeByte(codec.type());
        codec.encode(message, out);
    }

    /**
     * Writes a u16 length and the UTF-8 bytes of {@code text} straight into {@code out}, with no
     * intermediate array (this runs for every topic and cluster name sent). Records validate
     * their strings at construction, so {@code text} has no unpaired surrogate and Netty's
     * encoder writes exactly the bytes {@code String.getBytes(UTF_8)} would.
     */
    static void writeText(String text, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int written = io.netty.buffer.ByteBufUtil.writeUtf8(out, text);
        out.setShort(lengthAt, written);
    }

    /** A TunnelData body up to its chunk's bytes: what {@link FrameEncoder#encodeFrameHead} sends before them. */
    static void writeTunnelDataHead(TunnelData data, ByteBuf out) {
        out.writeLong(data.tunnel());
        out.writeByte(data.endOfMessage() ? 1 : 0);
        out.writeInt(data.chunk().length);
    }

    static void writeBytes(byte[] bytes, ByteBuf out) {
        writeBytes(bytes, 0, bytes.length, out);
    }

    /** {@code array[offset, offset + length)} as a {@code u32}-length-prefixed field. */
    static void writeBytes(byte[] array, int offset, int length, ByteBuf out) {
        out.writeInt(length);
        out.writeBytes(array, offset, length);
    }

    private static int positive(int value, String field) {
        if (value < 1) {
            throw new MalformedFrameException(field + " must be positive, got " + value);
        }
        return value;
    }

    private static long positive(long value, String field) {
        if (value < 1) {
            throw new MalformedFrameException(field + " must be positive, got " + value);
        }
        return value;
    }

    private static long notNegative(long value, String field) {
        if (value < 0) {
            throw new MalformedFrameException(field + " must not be negative, got " + value);
        }
        return value;
    }

    private static Refused.Reason refusalReason(int code) {
        Refused.Reason[] reasons = Refused.Reason.values();
        if (code < 1 || code > reasons.length) {
            throw new MalformedFrameException("unknown refusal reason " + code);
        }
        return reasons[code - 1];
    }

    /** A codec from two lambdas, for messages whose body is a plain sequence of fields. */
    private static <T extends WireMessage> MessageCodec<T> codec(int type, String name,
            java.util.function.BiConsumer<T, ByteBuf> encoder, java.util.function.Function<BodyReader, T> decoder) {
        return new MessageCodec<>() {
            @Override
            public int type() {
                return type;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public void encode(T message, ByteBuf out) {
                encoder.accept(message, out);
            }

            @Override
            public T decode(BodyReader in) {
                return decoder.apply(in);
            }
        };
    }

    static void writeNodeId(NodeId id, ByteBuf out) {
        out.writeLong(id.high());
        out.writeLong(id.low());
    }

    private static final class HelloCodec implements MessageCodec<Hello> {
        @Override
        public int type() {
            return 0x01;
        }

        @Override
        public String name() {
            return "Hello";
        }

        @Override
        public void encode(Hello message, ByteBuf out) {
            out.writeShort(message.protocolVersion());
            writeNodeId(message.from(), out);
            writeText(message.name(), out);
            writeText(message.advertised().host(), out);
            out.writeShort(message.advertised().port());
        }

        @Override
        public Hello decode(BodyReader in) {
            int version = in.u16("protocolVersion");
            NodeId from = in.nodeId("from");
            String name = in.text("name");
            Endpoint advertised = in.endpoint("advertised");
            return new Hello(version, from, name, advertised);
        }
    }

    private static final class HelloAckCodec implements MessageCodec<HelloAck> {
        @Override
        public int type() {
            return 0x02;
        }

        @Override
        public String name() {
            return "HelloAck";
        }

        @Override
        public void encode(HelloAck message, ByteBuf out) {
            out.writeShort(message.protocolVersion());
            writeNodeId(message.from(), out);
            out.writeByte(message.accepted() ? 1 : 0);
            writeText(message.reason(), out);
        }

        @Override
        public HelloAck decode(BodyReader in) {
            int version = in.u16("protocolVersion");
            NodeId from = in.nodeId("from");
            boolean accepted = in.bool("accepted");
            String reason = in.text("reason");
            return new HelloAck(version, from, accepted, reason);
        }
    }

    private static final class HeartbeatCodec implements MessageCodec<Heartbeat> {
        @Override
        public int type() {
            return 0x03;
        }

        @Override
        public String name() {
            return "Heartbeat";
        }

        @Override
        public void encode(Heartbeat message, ByteBuf out) {
            out.writeLong(message.sentAtMillis());
        }

        @Override
        public Heartbeat decode(BodyReader in) {
            return new Heartbeat(in.i64("sentAtMillis"));
        }
    }

    private static final class GoodbyeCodec implements MessageCodec<Goodbye> {
        @Override
        public int type() {
            return 0x04;
        }

        @Override
        public String name() {
            return "Goodbye";
        }

        @Override
        public void encode(Goodbye message, ByteBuf out) {
            writeText(message.reason(), out);
        }

        @Override
        public Goodbye decode(BodyReader in) {
            return new Goodbye(in.text("reason"));
        }
    }

    private static final class PayloadCodec implements MessageCodec<Payload> {
        @Override
        public int type() {
            return 0x05;
        }

        @Override
        public String name() {
            return "Payload";
        }

        @Override
        public void encode(Payload message, ByteBuf out) {
            out.writeInt(message.channel());
            writeBytes(message.body(), out);
        }

        @Override
        public Payload decode(BodyReader in) {
            int channel = in.i32("channel");
            byte[] body = in.bytes("body");
            return new Payload(channel, body);
        }
    }
}
