package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.CorruptDataException;
import io.iridium.data.ReplicaId;
import io.iridium.data.replication.ReplicaMessage.Deltas;
import io.iridium.data.replication.ReplicaMessage.Digest;
import io.iridium.data.replication.ReplicaMessage.DigestReply;
import io.iridium.data.replication.ReplicaMessage.Handoff;
import io.iridium.data.replication.ReplicaMessage.HandoffAck;
import io.iridium.data.replication.ReplicaMessage.Push;
import io.iridium.data.replication.ReplicaMessage.Read;
import io.iridium.data.replication.ReplicaMessage.ReadReply;
import io.iridium.data.replication.ReplicaMessage.Write;
import io.iridium.data.replication.ReplicaMessage.WriteAck;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replica message encoding: every message type survives a round trip, and truncated,
 * padded, mislabelled or random input is rejected with a {@link CorruptDataException} that
 * says what is wrong, never another exception.
 */
class ReplicaMessageCodecTest {

    private static final ReplicaId FROM = new ReplicaId(0x1234_5678_9abcL, -42L);
    private static final KeyState COUNTER = new KeyState("hits", "pn-counter", new byte[] {0x11, 1, 0, 0, 0, 0});
    private static final KeyState EMPTY_STATE = new KeyState("", "g-set<utf8>", new byte[0]);
    private static final KeyState UNICODE = new KeyState("clé ✓", "lww-register<utf8>",
            "any bytes".getBytes(StandardCharsets.UTF_8));

    static Stream<ReplicaMessage> everyMessageType() {
        return Stream.of(
                new Deltas(FROM, List.of(COUNTER, UNICODE)),
                new Deltas(FROM, List.of()),
                new Digest(FROM, Map.of("hits", 0x0123_4567_89ab_cdefL, "clé ✓", -1L, "", 0L)),
                new Digest(FROM, Map.of()),
                new DigestReply(FROM, List.of(EMPTY_STATE, COUNTER), List.of("wanted", "clé ✓")),
                new Push(FROM, List.of(UNICODE)),
                new Write(FROM, Long.MAX_VALUE, COUNTER),
                new WriteAck(FROM, 0),
                new Read(FROM, 300, "clé ✓"),
                new ReadReply(FROM, 7, Optional.of(COUNTER)),
                new ReadReply(FROM, 8, Optional.empty()),
                new Handoff(FROM, 99, List.of(COUNTER, EMPTY_STATE)),
                new HandoffAck(FROM, 99, true),
                new HandoffAck(FROM, 1L << 40, false),
                new ReplicaMessage.Departed(FROM, List.of(FROM, new ReplicaId(1, 2))),
                new ReplicaMessage.Departed(FROM, List.of()));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void roundTrip_everyMessageType(ReplicaMessage message) {
        byte[] bytes = ReplicaMessageCodec.encode(message);
        ReplicaMessage decoded = ReplicaMessageCodec.decode(bytes);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(message);
        assertThat(ReplicaMessageCodec.encode(decoded)).as("canonical").isEqualTo(bytes);
    }

    @Test
    void everyKindOfTheSealedInterface_isCovered() {
        assertThat(everyMessageType().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(ReplicaMessage.class.getPermittedSubclasses());
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void everyTruncation_isRejectedAsCorrupt(ReplicaMessage message) {
        byte[] bytes = ReplicaMessageCodec.encode(message);
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ReplicaMessageCodec.decode(truncated))
                    .as("truncated to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(CorruptDataException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void trailingBytes_areRejected(ReplicaMessage message) {
        byte[] bytes = ReplicaMessageCodec.encode(message);
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> ReplicaMessageCodec.decode(padded)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void unknownKindOrVersion_isRejectedWithWhatWasFound() {
        byte[] bytes = ReplicaMessageCodec.encode(new WriteAck(FROM, 5));
        byte[] unknownKind = bytes.clone();
        unknownKind[0] = 0x7f;
        assertThatThrownBy(() -> ReplicaMessageCodec.decode(unknownKind))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown replica message kind 127");
        byte[] futureVersion = bytes.clone();
        futureVersion[1] = 2;
        assertThatThrownBy(() -> ReplicaMessageCodec.decode(futureVersion))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("unsupported replica message version 2");
    }

    @Test
    void forgedHugeCount_isRejectedBeforeAllocating() {
        // Deltas claiming 2^31 states in a few bytes.
        byte[] header = Arrays.copyOf(ReplicaMessageCodec.encode(new Deltas(FROM, List.of())), 18);
        byte[] forged = Arrays.copyOf(header, header.length + 5);
        byte[] count = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        System.arraycopy(count, 0, forged, header.length, count.length);
        assertThatThrownBy(() -> ReplicaMessageCodec.decode(forged))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("cannot fit");
    }

    @Test
    void duplicateKeyInDigest_isRejected() {
        byte[] one = ReplicaMessageCodec.encode(new Digest(FROM, Map.of("k", 1L)));
        // kind | version | from (16) | count 1 | "k" (length 1, 'k') | hash (8): make it count 2, repeat the entry.
        int entryStart = 19;
        byte[] entry = Arrays.copyOfRange(one, entryStart, one.length);
        byte[] twice = new byte[one.length + entry.length];
        System.arraycopy(one, 0, twice, 0, one.length);
        System.arraycopy(entry, 0, twice, one.length, entry.length);
        twice[18] = 2;
        assertThatThrownBy(() -> ReplicaMessageCodec.decode(twice))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("duplicate key");
    }

    @Test
    void randomGarbage_isOnlyEverRejectedAsCorrupt() {
        Random random = new Random(20_240_601);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            if (garbage.length > 1 && random.nextBoolean()) {
                garbage[0] = (byte) random.nextInt(1, 11); // a valid kind, to get past the first check
                garbage[1] = 1;
            }
            try {
                ReplicaMessage message = ReplicaMessageCodec.decode(garbage);
                assertThat(ReplicaMessageCodec.decode(ReplicaMessageCodec.encode(message)))
                        .usingRecursiveComparison().isEqualTo(message);
            } catch (CorruptDataException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
