package io.iridium.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link SwimCodec#decode} with arbitrary datagram payloads: it must either return a
 * message or throw {@link MalformedMessageException} (any other throwable fails the target), and
 * every message it returns must encode and decode back to an equal message.
 *
 * <p>In {@code mvn verify} (the {@code fuzz} profile of iridium-core's pom, with
 * {@code JAZZER_FUZZ=1}) this fuzzes for {@code maxDuration}; elsewhere it replays its seeds and
 * saved findings. One fuzz target per class: Jazzer fuzzes only one target per JVM.
 */
class SwimCodecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode_arbitraryBytes_onlyMessagesOrMalformedAndReencodable(byte[] datagram) {
        SwimMessage message;
        try {
            message = SwimCodec.decode(datagram);
        } catch (MalformedMessageException expected) {
            return;
        }
        try {
            assertThat(SwimCodec.decode(SwimCodec.encode(message))).isEqualTo(message);
        } catch (MalformedMessageException e) {
            throw new AssertionError("re-encoded " + message + " does not decode: " + e.getMessage(), e);
        }
    }
}
