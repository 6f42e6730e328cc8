package io.iridium.wire;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.wire.WireMessage.Goodbye;
import io.iridium.wire.WireMessage.Heartbeat;
import io.iridium.wire.WireMessage.Hello;
import io.iridium.wire.WireMessage.HelloAck;
import io.iridium.wire.WireMessage.Payload;
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

    private static final MessageCodec<?>[] BY_TYPE = new MessageCodec<?>[256];

    static {
        for (MessageCodec<?> codec : new MessageCodec<?>[] {HELLO, HELLO_ACK, HEARTBEAT, GOODBYE, PAYLOAD}) {
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
        }
    }

    private static <T extends WireMessage> void write(MessageCodec<T> codec, T message, ByteBuf out) {
        out.writeByte(codec.type());
        codec.encode(message, out);
    }

    static void writeText(String text, ByteBuf out) {
        byte[] bytes = Text.encode(text);
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
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
            out.writeInt(message.body().length);
            out.writeBytes(message.body());
        }

        @Override
        public Payload decode(BodyReader in) {
            int channel = in.i32("channel");
            byte[] body = in.bytes("body");
            return new Payload(channel, body);
        }
    }
}
