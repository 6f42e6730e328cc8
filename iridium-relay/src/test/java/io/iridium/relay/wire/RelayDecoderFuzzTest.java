package io.iridium.relay.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the relay's decoder of client packets with arbitrary bytes fed in arbitrary piece sizes.
 * The oracle: only whole frames or one {@link RelayProtocolException} come out, never another
 * exception; how the input is split never changes the outcome; and the decoder never buffers more
 * than its limits allow plus one piece.
 *
 * <p>In the normal build the {@code fuzz} profile fuzzes this for {@code maxDuration}; a targeted
 * run replays the seeds in {@code src/test/resources/io/iridium/relay/wire/RelayDecoderFuzzTestInputs}.
 */
class RelayDecoderFuzzTest {
    private static final WireLimits SMALL = new WireLimits(64, 4096, 256, 1024);

    @FuzzTest(maxDuration = "10s")
    void decode_arbitraryBytes_onlyFramesOrViolation_splitNeverMatters(FuzzedDataProvider data) {
        int pieceSize = data.consumeInt(1, 64);
        boolean handshake = data.consumeBoolean();
        byte[] input = data.consumeRemainingAsBytes();
        byte[] stream = handshake
                ? WireBytes.concat(WireBytes.of("00 11 \"iris-client-magic\" 0B \"v1.0-draft2\" 00"), input)
                : input;
        Outcome whole = decode(stream, stream.length == 0 ? 1 : stream.length);
        Outcome pieces = decode(stream, pieceSize);
        assertThat(pieces.frames()).usingElementComparator(Arrays::compare).containsExactlyElementsOf(whole.frames());
        assertThat(pieces.failure()).isEqualTo(whole.failure());
    }

    private record Outcome(List<byte[]> frames, String failure) {}

    private static Outcome decode(byte[] stream, int pieceSize) {
        RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(SMALL);
        List<byte[]> frames = new ArrayList<>();
        try {
            for (int offset = 0; offset < stream.length; offset += pieceSize) {
                decoder.feed(stream, offset, Math.min(pieceSize, stream.length - offset));
                ClientFrame frame;
                while ((frame = decoder.next()) != null) {
                    frames.add(WireBytes.encode(frame));
                }
                assertThat(decoder.buffered()).isLessThanOrEqualTo(SMALL.maxPayloadBytes() + 3 * SMALL.maxNameBytes() + 64 + pieceSize);
            }
            return new Outcome(frames, null);
        } catch (RelayProtocolException e) {
            return new Outcome(frames, e.getMessage());
        }
    }
}
