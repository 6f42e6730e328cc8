package io.iridium.relay.wire;

import static io.iridium.relay.wire.WireBytes.concat;
import static io.iridium.relay.wire.WireBytes.encode;
import static io.iridium.relay.wire.WireBytes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay protocol's bytes, written from the specification (v1.0-draft2, §1, §3 and §12). */
class RelayCodecTest {

    private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.UTF_8);

    // ---- §1.1 encodings ----

    @Test
    void varint_specExamples_areMinimalLeb128() {
        assertThat(varint(0)).isEqualTo(of("00"));
        assertThat(varint(127)).isEqualTo(of("7F"));
        assertThat(varint(128)).isEqualTo(of("80 01"));
        assertThat(varint(300)).isEqualTo(of("AC 02"));
        assertThat(varint(65536)).isEqualTo(of("80 80 04"));
        assertThat(varint(4194304)).isEqualTo(of("80 80 80 02"));
        assertThat(varint(-1L)).hasSize(10);
    }

    @Test
    void decode_nonMinimalVarint_isAccepted() throws Exception {
        RelayDecoder<ClientFrame> decoder = openClientDecoder();
        decoder.feed(of("0B 8500 8100"));
        assertThat(decoder.next()).isEqualTo(new ClientFrame.TunnelAllow(5, 1));
    }

    @Test
    void decode_varintOver64Bits_isAViolation() {
        RelayDecoder<ClientFrame> decoder = openClientDecoder();
        decoder.feed(of("0D FFFFFFFFFFFFFFFFFF02"));
        assertThatThrownBy(decoder::next).isInstanceOf(RelayProtocolException.class).hasMessageContaining("overflows");
    }

    // ---- §2 handshake and §12 examples ----

    @Test
    void clientHandshake_plainClient_matchesSpec() throws Exception {
        byte[] wire = of("00 11 \"iris-client-magic\" 0B \"v1.0-draft2\" 00");
        assertThat(encode(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, ""))).isEqualTo(wire);
        assertThat(decodeClient(wire, false)).containsExactly(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, ""));
    }

    @Test
    void clientHandshake_service_matchesSpec() throws Exception {
        byte[] wire = of("00 11 \"iris-client-magic\" 0B \"v1.0-draft2\" 03 \"svc\"");
        assertThat(encode(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, "svc"))).isEqualTo(wire);
        assertThat(decodeClient(wire, false)).containsExactly(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, "svc"));
    }

    @Test
    void relayHandshake_matchesVerifiedBytes() {
        assertThat(encode(new RelayFrame.Init(Protocol.RELAY_MAGIC, Protocol.VERSION)))
                .isEqualTo(of("0010697269732d72656c61792d6d616769630b76312e302d647261667432"));
    }

    @Test
    void deny_carriesRelayMagicAndReason() throws Exception {
        String reason = Protocol.denyReason("v0.9");
        assertThat(reason).isEqualTo("Unsupported protocol. Client: v0.9. Iris: v1.0-draft2.");
        byte[] wire = encode(new RelayFrame.Deny(Protocol.RELAY_MAGIC, reason));
        assertThat(wire).isEqualTo(concat(of("01 10 \"iris-relay-magic\""), varint(reason.length()), reason.getBytes(StandardCharsets.UTF_8)));
        RelayDecoder<RelayFrame> decoder = RelayFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(wire);
        assertThat(decoder.next()).isEqualTo(new RelayFrame.Deny(Protocol.RELAY_MAGIC, reason));
    }

    @Test
    void request_id300_matchesSpec() throws Exception {
        byte[] wire = of("04 AC02 03 \"svc\" 04 \"ping\" E807");
        assertThat(encode(new ClientFrame.Request(300, "svc", PING, 1000))).isEqualTo(wire);
        ClientFrame.Request decoded = (ClientFrame.Request) decodeClient(wire, true).get(0);
        assertThat(decoded.id()).isEqualTo(300);
        assertThat(decoded.cluster()).isEqualTo("svc");
        assertThat(decoded.request()).isEqualTo(PING);
        assertThat(decoded.timeoutMillis()).isEqualTo(1000);
    }

    @Test
    void deliveredRequestAndReplies_matchSpec() throws Exception {
        assertThat(encode(new RelayFrame.Request(0, PING, 1000))).isEqualTo(of("04 00 04 \"ping\" E807"));
        assertThat(encode(ClientFrame.Reply.success(0, PONG))).isEqualTo(of("05 00 01 04 \"pong\""));
        assertThat(encode(RelayFrame.Reply.success(300, PONG))).isEqualTo(of("05 AC02 00 01 04 \"pong\""));
        assertThat(encode(RelayFrame.Reply.timeout(300))).isEqualTo(of("05 AC02 01"));
        assertThat(encode(RelayFrame.Reply.failure(300, "boom"))).isEqualTo(of("05 AC02 00 00 04 \"boom\""));
        assertThat(encode(ClientFrame.Reply.failure(7, "boom"))).isEqualTo(of("05 07 00 04 \"boom\""));

        ClientFrame.Reply reply = (ClientFrame.Reply) decodeClient(of("05 00 01 04 \"pong\""), true).get(0);
        assertThat(reply.success()).isTrue();
        assertThat(reply.reply()).isEqualTo(PONG);
        RelayFrame.Reply timedOut = (RelayFrame.Reply) decodeRelay(of("05 AC02 01")).get(0);
        assertThat(timedOut.timedOut()).isTrue();
        assertThat(timedOut.id()).isEqualTo(300);
    }

    @Test
    void tunnelSetup_matchesSpec() throws Exception {
        assertThat(encode(new ClientFrame.TunnelInit(5, "svc", 1000))).isEqualTo(of("09 05 03 \"svc\" E807"));
        assertThat(encode(RelayFrame.TunnelConfirm.opened(5, 65536))).isEqualTo(of("0A 05 00 808004"));
        assertThat(encode(RelayFrame.TunnelConfirm.timeout(5))).isEqualTo(of("0A 05 01"));
        assertThat(encode(new RelayFrame.TunnelAllow(5, Protocol.INITIAL_TUNNEL_CREDIT))).isEqualTo(of("0B 05 80808002"));
        assertThat(encode(new RelayFrame.TunnelInit(0, 65536))).isEqualTo(of("09 00 808004"));
        assertThat(encode(new ClientFrame.TunnelConfirm(0, 5))).isEqualTo(of("0A 00 05"));
        assertThat(decodeRelay(of("0A 05 00 808004 0B 05 80808002")))
                .containsExactly(RelayFrame.TunnelConfirm.opened(5, 65536), new RelayFrame.TunnelAllow(5, 4194304));
    }

    @Test
    void tunnelMessageOf100000Bytes_isTwoChunksAsInSpec() throws Exception {
        byte[] first = new byte[65536];
        byte[] second = new byte[34464];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        byte[] wire = concat(of("0C 05 A08D06 808004"), first, of("0C 05 00 A08D02"), second);
        assertThat(concat(encode(new ClientFrame.TunnelTransfer(5, 100000, first)), encode(new ClientFrame.TunnelTransfer(5, 0, second))))
                .isEqualTo(wire);
        List<ClientFrame> frames = decodeClient(wire, true);
        assertThat(frames).hasSize(2);
        ClientFrame.TunnelTransfer a = (ClientFrame.TunnelTransfer) frames.get(0);
        ClientFrame.TunnelTransfer b = (ClientFrame.TunnelTransfer) frames.get(1);
        assertThat(a.sizeOrContinuation()).isEqualTo(100000);
        assertThat(a.payload()).isEqualTo(first);
        assertThat(b.sizeOrContinuation()).isZero();
        assertThat(b.payload()).isEqualTo(second);
    }

    @Test
    void tunnelChunk_exactly65536_isAccepted_65537_isAViolationBeforeItArrives() throws Exception {
        assertThat(decodeClient(concat(of("0C 01 808004 808004"), new byte[65536]), true)).hasSize(1);
        RelayDecoder<ClientFrame> decoder = openClientDecoder();
        decoder.feed(of("0C 01 818004 818004"));
        assertThatThrownBy(decoder::next).isInstanceOf(RelayProtocolException.class).hasMessageContaining("tunnel chunk");
    }

    // ---- §3 every opcode, both directions ----

    @Test
    void everyClientOpcode_roundTrips_atEverySplitPoint() throws Exception {
        List<ClientFrame> frames = allClientFrames();
        byte[] wire = concat(frames.stream().map(WireBytes::encode).toArray(byte[][]::new));
        for (int split = 0; split <= wire.length; split++) {
            RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(WireLimits.DEFAULT);
            List<ClientFrame> decoded = new ArrayList<>();
            decoder.feed(wire, 0, split);
            drain(decoder, decoded);
            decoder.feed(wire, split, wire.length - split);
            drain(decoder, decoded);
            assertThat(decoded.stream().map(WireBytes::encode).toList())
                    .as("split at %d", split).usingElementComparator(Arrays::compare)
                    .containsExactlyElementsOf(frames.stream().map(WireBytes::encode).toList());
        }
    }

    @Test
    void everyRelayOpcode_roundTrips_fedByteByByte() throws Exception {
        List<RelayFrame> frames = allRelayFrames();
        byte[] wire = concat(frames.stream().map(WireBytes::encode).toArray(byte[][]::new));
        RelayDecoder<RelayFrame> decoder = RelayFrames.decoder(WireLimits.DEFAULT);
        List<byte[]> decoded = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            decoder.feed(wire, i, 1);
            RelayFrame frame;
            while ((frame = decoder.next()) != null) {
                decoded.add(encode(frame));
            }
        }
        assertThat(decoded).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(frames.stream().map(WireBytes::encode).toList());
        assertThat(decoder.buffered()).isZero();
    }

    // ---- violations (§10) ----

    @Test
    void handshake_firstOctetNotInit_isAViolationAtOnce() {
        RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(of("04"));
        assertThatThrownBy(decoder::next).isInstanceOf(RelayProtocolException.class).hasMessageContaining("expected INIT");
    }

    @Test
    void secondInit_andDeny_andOpcode0E_areUnknownAfterTheHandshake() {
        for (String op : List.of("00", "01", "0E", "FF")) {
            RelayDecoder<ClientFrame> decoder = openClientDecoder();
            decoder.feed(of(op + " 00 00 00"));
            assertThatThrownBy(decoder::next).as(op).isInstanceOf(RelayProtocolException.class).hasMessageContaining("unknown opcode");
        }
    }

    @Test
    void boolOtherThan0or1_isAViolation() {
        RelayDecoder<ClientFrame> decoder = openClientDecoder();
        decoder.feed(of("05 00 02 00"));
        assertThatThrownBy(decoder::next).isInstanceOf(RelayProtocolException.class).hasMessageContaining("not 0 or 1");
    }

    @Test
    void lengthOverItsBound_isRejectedBeforeAnyPayloadArrives() {
        RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(new WireLimits(32, 1024, 64, 65536));
        decoder.feed(of("00 11 \"iris-client-magic\" 0B \"v1.0-draft2\" 00"));
        decoder.feed(of("08 03 \"a.b\" FFFFFFFF0F"));
        assertThatThrownBy(() -> {
            decoder.next();
            decoder.next();
        }).isInstanceOf(RelayProtocolException.class).hasMessageContaining("event length 4294967295 exceeds 1024");
    }

    @Test
    void failedDecoder_staysFailed() {
        RelayDecoder<ClientFrame> decoder = openClientDecoder();
        decoder.feed(of("0E"));
        assertThatThrownBy(decoder::next).isInstanceOf(RelayProtocolException.class);
        decoder.feed(of("02"));
        assertThatThrownBy(decoder::next).isInstanceOf(RelayProtocolException.class);
    }

    @Test
    void largePacket_fedInSmallPieces_decodesOnce() throws Exception {
        byte[] payload = new byte[1 << 20];
        Arrays.fill(payload, (byte) 7);
        byte[] wire = encode(new ClientFrame.Publish("big", payload));
        RelayDecoder<ClientFrame> decoder = openClientDecoder();
        List<ClientFrame> decoded = new ArrayList<>();
        for (int i = 0; i < wire.length; i += 100) {
            decoder.feed(wire, i, Math.min(100, wire.length - i));
            drain(decoder, decoded);
        }
        assertThat(decoded).hasSize(1);
        assertThat(((ClientFrame.Publish) decoded.get(0)).event()).isEqualTo(payload);
    }

    // ---- helpers ----

    static List<ClientFrame> allClientFrames() {
        return List.of(
                new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, "svc"),
                new ClientFrame.Broadcast("svc", PING),
                new ClientFrame.Request(300, "svc", PING, 1000),
                ClientFrame.Reply.success(0, PONG),
                ClientFrame.Reply.success(1, new byte[0]),
                ClientFrame.Reply.failure(2, "boom"),
                new ClientFrame.Subscribe("news"),
                new ClientFrame.Unsubscribe("news"),
                new ClientFrame.Publish("news", "hello".getBytes(StandardCharsets.UTF_8)),
                new ClientFrame.TunnelInit(5, "svc", 1000),
                new ClientFrame.TunnelConfirm(0, 6),
                new ClientFrame.TunnelAllow(5, 64L << 20),
                new ClientFrame.TunnelTransfer(5, 3, new byte[] {1, 2, 3}),
                new ClientFrame.TunnelClose(5),
                new ClientFrame.Close());
    }

    static List<RelayFrame> allRelayFrames() {
        return List.of(
                new RelayFrame.Init(Protocol.RELAY_MAGIC, Protocol.VERSION),
                new RelayFrame.Broadcast(PING),
                new RelayFrame.Request(0, PING, 1000),
                RelayFrame.Reply.success(300, PONG),
                RelayFrame.Reply.failure(301, "boom"),
                RelayFrame.Reply.timeout(302),
                new RelayFrame.Publish("news", PING),
                new RelayFrame.TunnelInit(0, 65536),
                RelayFrame.TunnelConfirm.opened(5, 65536),
                RelayFrame.TunnelConfirm.timeout(6),
                new RelayFrame.TunnelAllow(5, 4194304),
                new RelayFrame.TunnelTransfer(5, 0, new byte[] {9}),
                new RelayFrame.TunnelClose(5, ""),
                new RelayFrame.TunnelClose(6, "reset"),
                new RelayFrame.Close(""));
    }

    private static byte[] varint(long value) {
        ByteArraySink sink = new ByteArraySink(16);
        RelayEncoder.varint(sink, value);
        return sink.toByteArray();
    }

    private static RelayDecoder<ClientFrame> openClientDecoder() {
        RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(of("00 11 \"iris-client-magic\" 0B \"v1.0-draft2\" 00"));
        try {
            assertThat(decoder.next()).isInstanceOf(ClientFrame.Init.class);
        } catch (RelayProtocolException e) {
            throw new AssertionError(e);
        }
        return decoder;
    }

    private static List<ClientFrame> decodeClient(byte[] wire, boolean afterHandshake) throws RelayProtocolException {
        RelayDecoder<ClientFrame> decoder = afterHandshake ? openClientDecoder() : ClientFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(wire);
        List<ClientFrame> frames = new ArrayList<>();
        drain(decoder, frames);
        assertThat(decoder.buffered()).isZero();
        return frames;
    }

    private static List<RelayFrame> decodeRelay(byte[] wire) throws RelayProtocolException {
        RelayDecoder<RelayFrame> decoder = RelayFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(encode(new RelayFrame.Init(Protocol.RELAY_MAGIC, Protocol.VERSION)));
        decoder.next();
        decoder.feed(wire);
        List<RelayFrame> frames = new ArrayList<>();
        RelayFrame frame;
        while ((frame = decoder.next()) != null) {
            frames.add(frame);
        }
        return frames;
    }

    private static <F> void drain(RelayDecoder<F> decoder, List<F> into) throws RelayProtocolException {
        F frame;
        while ((frame = decoder.next()) != null) {
            into.add(frame);
        }
    }
}
