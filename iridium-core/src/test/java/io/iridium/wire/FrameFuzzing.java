package io.iridium.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.wire.Frames.Outcome;
import java.util.Arrays;

/**
 * The oracle shared by the jqwik properties and the Jazzer fuzz target. For any input:
 * <ol>
 *   <li>the decoder yields only {@link WireMessage}s and at most one {@link MalformedFrameException}
 *       (anything else thrown fails the check), releasing every buffer;
 *   <li>feeding the input whole or in pieces gives the same messages and the same verdict (the
 *       reference model is the one-read decode);
 *   <li>re-encoding the decoded messages gives exactly the input's prefix they came from, and
 *       decoding that again gives equal messages (the format is canonical).
 * </ol>
 */
final class FrameFuzzing {

    private FrameFuzzing() {}

    static void check(byte[] input, int pieceSize, int maxFrameBytes) {
        Outcome whole = Frames.decode(maxFrameBytes, input);
        Outcome pieces = Frames.decodeInPieces(maxFrameBytes, input, pieceSize);

        assertThat(pieces.messages()).isEqualTo(whole.messages());
        assertThat(pieces.failure().isPresent()).isEqualTo(whole.failure().isPresent());

        byte[] reencoded = Frames.encodeAll(whole.messages());
        assertThat(reencoded).isEqualTo(Arrays.copyOf(input, reencoded.length));
        assertThat(Frames.decode(maxFrameBytes, reencoded).messages()).isEqualTo(whole.messages());
    }
}
