package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.iridium.data.CorruptDataException;

/**
 * Fuzzes {@link ReplicaMessageCodec#decode} with arbitrary bytes: it must either return a
 * message or throw {@link CorruptDataException} (any other throwable — an index error, an
 * out-of-memory from a forged count — fails the target), and every message it returns must
 * encode and decode back to an equal message.
 *
 * <p>In the default test run this only replays its seeds and saved findings; iridium-data's
 * {@code fuzz} profile fuzzes it for {@code maxDuration} ({@code -Diridium.fuzz.skip=true}
 * skips that).
 */
class ReplicaMessageCodecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode_arbitraryBytes_onlyMessagesOrCorruptAndReencodable(byte[] bytes) {
        ReplicaMessage message;
        try {
            message = ReplicaMessageCodec.decode(bytes);
        } catch (CorruptDataException expected) {
            return;
        }
        try {
            assertThat(ReplicaMessageCodec.decode(ReplicaMessageCodec.encode(message)))
                    .usingRecursiveComparison().isEqualTo(message);
        } catch (CorruptDataException e) {
            throw new AssertionError("re-encoded " + message + " does not decode: " + e.getMessage(), e);
        }
    }
}
