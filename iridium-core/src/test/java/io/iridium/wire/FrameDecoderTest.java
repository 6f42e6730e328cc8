package io.iridium.wire;

import static io.iridium.wire.Frames.MAX;
import static io.iridium.wire.Frames.bytes;
import static io.iridium.wire.Frames.concat;
import static io.iridium.wire.Frames.frame;
import static io.iridium.wire.Frames.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.wire.Frames.Outcome;
import io.iridium.wire.WireMessage.Heartbeat;
import io.iridium.wire.WireMessage.Payload;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    static Stream<WireMessage> samples() {
        return Frames.samples().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decode_wholeFrame_yieldsTheEncodedMessage(WireMessage message) {
        Outcome outcome = Frames.decode(MAX, Frames.encode(message));

        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.messages()).containsExactly(message);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decode_splitInTwoAtEveryPoint_yieldsTheSameMessage(WireMessage message) {
        byte[] frame = Frames.encode(message);
        for (int split = 0; split <= frame.length; split++) {
            Outcome outcome = Frames.decodeSplit(MAX, frame, split);

            assertThat(outcome.failure()).as("split at %d", split).isEmpty();
            assertThat(outcome.messages()).as("split at %d", split).containsExactly(message);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void decode_oneByteAtATime_yieldsTheSameMessage(WireMessage message) {
        Outcome outcome = Frames.decodeInPieces(MAX, Frames.encode(message), 1);

        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.messages()).containsExactly(message);
    }

    @Test
    void decode_everyFrameBackToBack_yieldsAllInOrderWholeSplitAndBytewise() {
        List<WireMessage> all = Frames.samples();
        byte[] stream = Frames.encodeAll(all);

        assertThat(Frames.decode(MAX, stream).messages()).containsExactlyElementsOf(all);
        assertThat(Frames.decodeInPieces(MAX, stream, 1).messages()).containsExactlyElementsOf(all);
        assertThat(Frames.decodeInPieces(MAX, stream, 7).messages()).containsExactlyElementsOf(all);
        for (int split = 0; split <= stream.length; split += 97) {
            Outcome outcome = Frames.decodeSplit(MAX, stream, split);
            assertThat(outcome.failure()).as("split at %d", split).isEmpty();
            assertThat(outcome.messages()).as("split at %d", split).containsExactlyElementsOf(all);
        }
    }

    @Test
    void decode_largeFramesArrivingInPieces_betweenSmallOnes_yieldAllInOrder() {
        // a frame of LARGE_FRAME_BYTES or more is gathered as a composite while it arrives
        byte[] chunk = new byte[3 * FrameDecoder.LARGE_FRAME_BYTES + 7];
        new java.util.Random(5).nextBytes(chunk);
        List<WireMessage> all = List.of(new Heartbeat(1), new WireMessage.TunnelData(9, false, chunk),
                new Heartbeat(2), new WireMessage.TunnelData(9, true, chunk.clone()), new Heartbeat(3));
        byte[] stream = Frames.encodeAll(all);

        for (int piece : new int[] {1_000, 4_096, 16_384, 40_000}) {
            Outcome outcome = Frames.decodeInPieces(MAX, stream, piece);
            assertThat(outcome.failure()).as("pieces of %d", piece).isEmpty();
            assertThat(outcome.messages()).as("pieces of %d", piece).containsExactlyElementsOf(all);
        }
    }

    @Test
    void decode_repeatedNames_reuseOneString_andNamesSharingACacheSlotStayDistinct() {
        List<WireMessage> frames = new ArrayList<>();
        String[] topics = {"orders.eu", "orders.us", "orders.eu", "ürün.ç", "ürün.ç", "orders.eu", "x", "", ""};
        for (String topic : topics) {
            frames.add(new WireMessage.Publish(topic, bytes(1)));
        }
        for (int i = 0; i < 40; i++) { // many names of one length: slots are shared and replaced
            frames.add(new WireMessage.Publish("t." + (char) ('a' + i % 26) + (i / 26), bytes(2)));
        }
        frames.add(new WireMessage.Publish("orders.eu", bytes(3)));
        List<WireMessage> decoded = Frames.decode(MAX, Frames.encodeAll(frames)).messages();

        assertThat(decoded).containsExactlyElementsOf(frames);
        String first = ((WireMessage.Publish) decoded.get(0)).topic();
        assertThat(((WireMessage.Publish) decoded.get(2)).topic()).isSameAs(first);
        assertThat(((WireMessage.Publish) decoded.get(5)).topic()).isSameAs(first);
        assertThat(((WireMessage.Publish) decoded.get(4)).topic()).isSameAs(((WireMessage.Publish) decoded.get(3)).topic());
    }

    @Test
    void decode_smallFramesBackToBack_splitAtEveryPoint_yieldsAllInOrder() {
        List<WireMessage> small = List.of(new Heartbeat(1), new WireMessage.Goodbye("bye"), new Heartbeat(2),
                new Payload(3, bytes(9, 8, 7)));
        byte[] stream = Frames.encodeAll(small);
        for (int split = 0; split <= stream.length; split++) {
            assertThat(Frames.decodeSplit(MAX, stream, split).messages()).as("split at %d", split)
                    .containsExactlyElementsOf(small);
        }
    }

    @Test
    void decode_readsJoinedInTheTailsRoomOrInANewBuffer_yieldAllInOrderAndReleaseEveryRead() {
        List<WireMessage> all = Frames.samples();
        byte[] stream = Frames.encodeAll(all);
        for (int pieceSize : new int[] {3, 13, 100}) {
            List<byte[]> pieces = new ArrayList<>();
            for (int i = 0; i < stream.length; i += pieceSize) {
                pieces.add(java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + pieceSize)));
            }
            for (int spare : new int[] {0, pieceSize / 2, 4_096}) {
                Outcome outcome = Frames.decodePieces(MAX, pieces, spare);
                assertThat(outcome.failure()).as("pieces of %d, %d spare", pieceSize, spare).isEmpty();
                assertThat(outcome.messages()).as("pieces of %d, %d spare", pieceSize, spare)
                        .containsExactlyElementsOf(all);
            }
        }
    }

    @Test
    void decode_truncatedLengthPrefix_namesTheFieldsLength() {
        byte[] goodbyeWithOneByte = frame(0x04, bytes(0x00));

        assertThat(Frames.decode(MAX, goodbyeWithOneByte).failure()).hasValueSatisfying(e -> assertThat(e)
                .hasMessageContaining("truncated: reason length needs 2 bytes but the frame has 1 left"));
    }

    @Test
    void decode_partialFrame_leavesReaderIndexUntouched() {
        byte[] frame = Frames.encode(new Payload(5, new byte[100]));
        FrameDecoder decoder = new FrameDecoder(MAX);
        for (int available = 0; available < frame.length; available++) {
            ByteBuf in = Unpooled.wrappedBuffer(frame, 0, available);
            List<Object> out = new ArrayList<>();

            decoder.decode(null, in, out);

            assertThat(in.readerIndex()).as("with %d bytes", available).isZero();
            assertThat(out).isEmpty();
            in.release();
        }
    }

    @Test
    void decode_lengthClaimsTwoGibibytes_rejectedAfterFourBytesWithoutAllocating() {
        FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE);
        ByteBuf in = Unpooled.wrappedBuffer(u32(0x8000_0000L));

        assertThatThrownBy(() -> decoder.decode(null, in, new ArrayList<>()))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("2147483648 bytes exceeds the limit");
        in.release();
    }

    @Test
    void decode_lengthClaimsTwoGibibytesInSplitHeader_allocatesOnlyWhatArrived() {
        AtomicLong requested = new AtomicLong();
        ByteBufAllocator counting = new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                requested.addAndGet(initialCapacity);
                return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                return newHeapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(counting);
        channel.pipeline().addLast(new FrameDecoder(Integer.MAX_VALUE));
        ByteBuf first = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0});
        ByteBuf second = Unpooled.wrappedBuffer(new byte[] {0, 0});

        assertThat(channel.writeInbound(first)).isFalse();
        assertThatThrownBy(() -> channel.writeInbound(second)).isInstanceOf(MalformedFrameException.class);

        assertThat(requested.get()).as("bytes requested from the allocator").isLessThan(1024);
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0xFFFF_FFFFL, 0x8000_0000L, 0x7FFF_FFFFL, MAX + 1L})
    void decode_lengthOverLimitOrNegative_firesMalformedFromTheHeaderAlone(long length) {
        Outcome outcome = Frames.decode(MAX, u32(length));

        assertThat(outcome.messages()).isEmpty();
        assertThat(outcome.failure()).hasValueSatisfying(e -> assertThat(e).hasMessageContaining("exceeds the limit"));
    }

    @Test
    void decode_frameExactlyAtLimit_accepted() {
        int max = 1024;
        int bodyBytes = max - 1 - 4 - 4; // type, channel, body length
        Payload payload = new Payload(7, new byte[bodyBytes]);
        byte[] frame = Frames.encode(payload);
        assertThat(frame).hasSize(4 + max);

        assertThat(Frames.decode(max, frame).messages()).containsExactly(payload);
        assertThat(Frames.decode(max - 1, frame).failure()).isPresent();
    }

    @Test
    void decode_zeroLength_firesMalformed() {
        assertThat(Frames.decode(MAX, u32(0)).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("length 0"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x06, 0x7F, 0x80, 0xFF})
    void decode_unknownType_firesMalformed(int type) {
        assertThat(Frames.decode(MAX, frame(type, new byte[8])).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("unknown frame type"));
    }

    @Test
    void decode_truncatedFixedField_firesMalformed() {
        byte[] heartbeatWithSevenBytes = frame(0x03, new byte[7]);

        assertThat(Frames.decode(MAX, heartbeatWithSevenBytes).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("Heartbeat").hasMessageContaining("truncated"));
    }

    @Test
    void decode_stringLongerThanFrame_firesMalformed() {
        byte[] goodbye = frame(0x04, concat(bytes(0x00, 0x10), "short".getBytes(StandardCharsets.US_ASCII)));

        assertThat(Frames.decode(MAX, goodbye).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("reason").hasMessageContaining("truncated"));
    }

    @Test
    void decode_stringOverTextBound_firesMalformed() {
        byte[] text = new byte[WireMessage.MAX_TEXT_BYTES + 1];
        java.util.Arrays.fill(text, (byte) 'a');
        byte[] goodbye = frame(0x04, concat(bytes(text.length >>> 8, text.length), text));

        assertThat(Frames.decode(MAX, goodbye).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("more than " + WireMessage.MAX_TEXT_BYTES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c328", "c080", "eda080", "f8888080", "e282", "ff"})
    void decode_badUtf8_firesMalformed(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] goodbye = frame(0x04, concat(bytes(0, bad.length), bad));

        assertThat(Frames.decode(MAX, goodbye).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("not valid UTF-8"));
    }

    @Test
    void decode_payloadLengthNegativeOrPastFrame_firesMalformed() {
        byte[] negative = frame(0x05, concat(u32(1), u32(0xFFFF_FFFFL), new byte[16]));
        byte[] pastEnd = frame(0x05, concat(u32(1), u32(17), new byte[16]));

        assertThat(Frames.decode(MAX, negative).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("claims 4294967295 bytes"));
        assertThat(Frames.decode(MAX, pastEnd).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("claims 17 bytes"));
    }

    @Test
    void decode_bytesAfterTheLastField_firesMalformed() {
        byte[] heartbeatWithNineBytes = frame(0x03, new byte[9]);

        assertThat(Frames.decode(MAX, heartbeatWithNineBytes).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("1 unexpected bytes"));
    }

    @Test
    void decode_booleanOtherThanZeroOrOne_firesMalformed() {
        byte[] body = concat(bytes(0, 1), new byte[16], bytes(2), bytes(0, 0));

        assertThat(Frames.decode(MAX, frame(0x02, body)).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("accepted is a boolean but holds 2"));
    }

    @Test
    void decode_blankHost_firesMalformed() {
        byte[] body = concat(bytes(0, 1), new byte[16], bytes(0, 1, 'n'), bytes(0, 1, ' '), bytes(0x1E, 0x7A));

        assertThat(Frames.decode(MAX, frame(0x01, body)).failure())
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("advertised.host is blank"));
    }

    @Test
    void decode_afterMalformedFrame_discardsTheRestOfTheConnection() {
        byte[] stream = concat(Frames.encode(new Heartbeat(1)), frame(0x09, new byte[3]),
                Frames.encode(new Heartbeat(2)));

        Outcome whole = Frames.decode(MAX, stream);
        Outcome bytewise = Frames.decodeInPieces(MAX, stream, 1);

        assertThat(whole.messages()).containsExactly(new Heartbeat(1));
        assertThat(whole.failure()).isPresent();
        assertThat(bytewise.messages()).containsExactly(new Heartbeat(1));
        assertThat(bytewise.failure()).isPresent();
    }

    @Test
    void constructor_nonPositiveLimit_rejected() {
        assertThatThrownBy(() -> new FrameDecoder(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
