package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link RegistryCodec#decode} with arbitrary payloads: it must either return a message
 * or throw {@link MalformedRegistryMessageException} (any other throwable fails the target), and
 * every message it returns must encode and decode back to an equal message.
 *
 * <p>In the default test run this only replays its seeds and saved findings; it fuzzes for
 * {@code maxDuration} once iridium-core's {@code fuzz} profile has an execution for it (copy
 * the {@code fuzz-swim-codec} execution, changing its id and test class).
 */
class RegistryCodecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode_arbitraryBytes_onlyMessagesOrMalformedAndReencodable(byte[] payload) {
        RegistryMessage message;
        try {
            message = RegistryCodec.decode(payload);
        } catch (MalformedRegistryMessageException expected) {
            return;
        }
        try {
            assertThat(RegistryCodec.decode(RegistryCodec.encode(message))).isEqualTo(message);
        } catch (MalformedRegistryMessageException e) {
            throw new AssertionError("re-encoded " + message + " does not decode: " + e.getMessage(), e);
        }
    }
}
