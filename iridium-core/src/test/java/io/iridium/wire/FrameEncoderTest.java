package io.iridium.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.wire.WireMessage.Goodbye;
import io.iridium.wire.WireMessage.Heartbeat;
import io.iridium.wire.WireMessage.Hello;
import io.iridium.wire.WireMessage.HelloAck;
import io.iridium.wire.WireMessage.Payload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameEncoderTest {

    static Stream<WireMessage> samples() {
        return Frames.samples().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void encode_thenDecode_roundTripsEveryMessageType(WireMessage message) {
        byte[] frame = Frames.encode(message);

        assertThat(Frames.decode(Frames.MAX, frame).messages()).containsExactly(message);
        assertThat(Frames.encode(Frames.decode(Frames.MAX, frame).messages().getFirst())).isEqualTo(frame);
    }

    @Test
    void encodeFrameHead_followedByTheChunk_isTheWholeFrame() {
        byte[] chunk = new byte[40_000];
        new java.util.Random(3).nextBytes(chunk);
        WireMessage.TunnelData data = new WireMessage.TunnelData(0x0102030405060708L, true, chunk);
        ByteBuf head = io.netty.buffer.Unpooled.buffer();
        FrameEncoder.encodeFrameHead(data, head, Frames.MAX);
        byte[] headBytes = new byte[head.readableBytes()];
        head.readBytes(headBytes);

        byte[] joined = new byte[headBytes.length + chunk.length];
        System.arraycopy(headBytes, 0, joined, 0, headBytes.length);
        System.arraycopy(chunk, 0, joined, headBytes.length, chunk.length);
        assertThat(joined).isEqualTo(Frames.encode(data));
    }

    @Test
    void encodeFrameHead_overTheLimit_refusedAndLeavesNothing() {
        ByteBuf out = io.netty.buffer.Unpooled.buffer();
        out.writeByte(42);
        assertThatThrownBy(() -> FrameEncoder.encodeFrameHead(new WireMessage.TunnelData(1, false, new byte[2_000]), out, 1_024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the limit");
        assertThat(out.readableBytes()).isEqualTo(1);
    }

    @Test
    void encode_heartbeat_matchesTheDocumentedLayout() {
        byte[] frame = Frames.encode(new Heartbeat(0x0102030405060708L));

        assertThat(HexFormat.of().formatHex(frame)).isEqualTo("00000009" + "03" + "0102030405060708");
    }

    @Test
    void encode_hello_matchesTheDocumentedLayout() {
        byte[] frame = Frames.encode(new Hello(1, new NodeId(2, 3), "n", new Endpoint("h", 258)));

        assertThat(HexFormat.of().formatHex(frame)).isEqualTo("0000001b" + "01" + "0001"
                + "0000000000000002" + "0000000000000003" + "0001" + "6e" + "0001" + "68" + "0102");
    }

    @Test
    void encode_frameOverLimit_failsTheWriteAndKeepsTheChannelOpen() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(1024));

        ChannelFuture write = channel.writeOneOutbound(new Payload(1, new byte[2000]));
        channel.flushOutbound();

        assertThat(write.cause()).isInstanceOf(EncoderException.class)
                .hasMessageContaining("exceeds the limit of 1024");
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.writeOutbound(new Heartbeat(1))).isTrue();
        ByteBuf frame = channel.readOutbound();
        assertThat(frame.readableBytes()).isEqualTo(13);
        frame.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void encode_oneEncoderSharedByTwoChannels_encodesForBoth() {
        FrameEncoder shared = new FrameEncoder(Frames.MAX);
        EmbeddedChannel first = new EmbeddedChannel(shared);
        EmbeddedChannel second = new EmbeddedChannel(shared);

        assertThat(first.writeOutbound(new Heartbeat(1))).isTrue();
        assertThat(second.writeOutbound(new Heartbeat(2))).isTrue();

        for (EmbeddedChannel channel : new EmbeddedChannel[] {first, second}) {
            ByteBuf frame = channel.readOutbound();
            assertThat(frame.readableBytes()).isEqualTo(13);
            frame.release();
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void records_unencodableFields_rejectedAtConstruction() {
        NodeId id = new NodeId(1, 2);
        Endpoint at = new Endpoint("h", 1);
        assertThatThrownBy(() -> new Goodbye("\uD800")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> new Goodbye("x\uDC00y")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> new Goodbye("é".repeat(513))).hasMessageContaining("1026 bytes");
        assertThatThrownBy(() -> new Hello(65_536, id, "n", at)).hasMessageContaining("protocolVersion");
        assertThatThrownBy(() -> new HelloAck(-1, id, true, "")).hasMessageContaining("protocolVersion");
        assertThatThrownBy(() -> new Hello(1, id, "n", new Endpoint("h".repeat(1025), 1)))
                .hasMessageContaining("advertised.host");
        assertThatThrownBy(() -> new Goodbye(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Payload(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void payload_equalsAndHashCode_compareContents() {
        assertThat(new Payload(1, new byte[] {1, 2})).isEqualTo(new Payload(1, new byte[] {1, 2}))
                .hasSameHashCodeAs(new Payload(1, new byte[] {1, 2}))
                .isNotEqualTo(new Payload(2, new byte[] {1, 2}))
                .isNotEqualTo(new Payload(1, new byte[] {1, 3}));
        assertThat(new Payload(1, new byte[3])).hasToString("Payload[channel=1, body=3 bytes]");
    }
}
