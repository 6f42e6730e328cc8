package io.iridium.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link FrameDecoder} with arbitrary bytes fed in arbitrary piece sizes, checking the
 * {@link FrameFuzzing} oracle: only messages or one {@link MalformedFrameException} come out, the
 * split never matters, and decoded messages re-encode to the bytes they came from.
 *
 * <p>In {@code mvn verify} (the {@code fuzz} profile's execution, with {@code JAZZER_FUZZ=1}) this
 * fuzzes for {@code maxDuration}; elsewhere it replays the seeds and saved findings in
 * {@code src/test/resources/io/iridium/wire/FrameDecoderFuzzTestInputs}. One fuzz target per
 * class: Jazzer fuzzes only one target per JVM.
 */
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode_arbitraryBytes_onlyMessagesOrMalformedAndCanonical(FuzzedDataProvider data) {
        int pieceSize = data.consumeInt(1, 64);
        int maxFrameBytes = data.consumeBoolean() ? 256 : Frames.MAX;
        byte[] input = data.consumeRemainingAsBytes();
        FrameFuzzing.check(input, pieceSize, maxFrameBytes);
    }
}
