package io.iridium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.security.OpenResult.Opened;
import io.iridium.security.OpenResult.Reason;
import io.iridium.security.OpenResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DatagramSealerTest {

    private static final long SEED = Long.getLong("iridium.seed", 42L);
    private static final long START = 1_750_000_000_000L;

    // Static initialisers rather than @BeforeAll: jqwik properties do not run Jupiter lifecycle methods.
    private static final NetworkKey alpha = NetworkKey.generate("alpha");
    private static final NetworkKey beta = NetworkKey.generate("beta");

    private final AtomicLong clock = new AtomicLong(START);

    private DatagramSealer sealer(NetworkKey key, long seed) {
        return new DatagramSealer(key, clock::get, Duration.ofSeconds(60), new SplittableRandom(seed));
    }

    @Test
    void seal_thenOpen_givesThePayloadBack() {
        DatagramSealer sender = sealer(alpha, SEED);
        DatagramSealer receiver = sealer(alpha, SEED + 1);
        for (int size : new int[] {0, 1, 100, 1400, DatagramSealer.MAX_PAYLOAD_BYTES}) {
            byte[] payload = new byte[size];
            new SplittableRandom(size).nextBytes(payload);

            byte[] datagram = sender.seal(payload);

            assertThat(datagram).hasSize(size + DatagramSealer.OVERHEAD_BYTES);
            assertThat(receiver.open(datagram)).isEqualTo(new Opened(payload));
        }
    }

    @Test
    void seal_samePayloadTwice_givesUnrelatedDatagramsThatDoNotRevealTheNetwork() {
        DatagramSealer sender = sealer(alpha, SEED);
        byte[] payload = "hello from alpha".getBytes(StandardCharsets.UTF_8);

        byte[] first = sender.seal(payload);
        byte[] second = sender.seal(payload);

        assertThat(first[0]).isEqualTo((byte) DatagramSealer.VERSION);
        assertThat(Arrays.copyOfRange(first, 1, first.length)).isNotEqualTo(Arrays.copyOfRange(second, 1, second.length));
        String text = new String(first, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("alpha").doesNotContain("hello");
    }

    @Test
    void seal_sameSeedAndClock_givesTheSameDatagram() {
        byte[] payload = {1, 2, 3};

        assertThat(sealer(alpha, SEED).seal(payload)).isEqualTo(sealer(alpha, SEED).seal(payload));
    }

    @Test
    void open_sealedByAnotherNetwork_authenticationFailed() {
        byte[] datagram = sealer(beta, SEED).seal(new byte[] {1, 2, 3});

        assertThat(sealer(alpha, SEED).open(datagram)).isEqualTo(new Rejected(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void open_sealedForAnotherPurpose_authenticationFailed() {
        DatagramSealer beacons = new DatagramSealer(alpha, DatagramSealer.BEACON, clock::get, Duration.ofSeconds(60), new SplittableRandom(3));
        byte[] beacon = beacons.seal(new byte[] {1, 2, 3});
        assertThat(sealer(alpha, 4).open(beacon))
                .isEqualTo(new Rejected(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void open_anyByteTampered_rejected() {
        byte[] datagram = sealer(alpha, SEED).seal("membership update".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < datagram.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = datagram.clone();
                tampered[i] ^= (byte) (1 << bit);

                Reason expected = i == 0 ? Reason.UNKNOWN_VERSION : Reason.AUTHENTICATION_FAILED;
                assertThat(sealer(alpha, SEED).open(tampered)).as("byte %d bit %d", i, bit)
                        .isEqualTo(new Rejected(expected));
            }
        }
    }

    @Test
    void open_sameDatagramTwice_secondIsReplayed() {
        DatagramSealer sender = sealer(alpha, SEED);
        DatagramSealer receiver = sealer(alpha, SEED + 1);
        byte[] datagram = sender.seal(new byte[] {7});

        assertThat(receiver.open(datagram)).isInstanceOf(Opened.class);
        clock.addAndGet(30_000);
        assertThat(receiver.open(datagram)).isEqualTo(new Rejected(Reason.REPLAYED));
        assertThat(receiver.open(sender.seal(new byte[] {7}))).isInstanceOf(Opened.class);
    }

    @Test
    void open_replayAfterTheWindow_isStaleNotAccepted() {
        DatagramSealer receiver = sealer(alpha, SEED + 1);
        byte[] datagram = sealer(alpha, SEED).seal(new byte[] {7});
        assertThat(receiver.open(datagram)).isInstanceOf(Opened.class);

        clock.addAndGet(60_001);

        assertThat(receiver.open(datagram)).isEqualTo(new Rejected(Reason.STALE));
    }

    @Test
    void open_timestampOutsideMaxAgeEitherWay_stale() {
        byte[] old = sealer(alpha, SEED).seal(new byte[] {1});
        clock.addAndGet(120_000);
        byte[] future = sealer(alpha, SEED + 2).seal(new byte[] {2});
        clock.addAndGet(-120_000);
        DatagramSealer receiver = sealer(alpha, SEED + 3);

        clock.addAndGet(60_001);
        assertThat(receiver.open(old)).isEqualTo(new Rejected(Reason.STALE));
        clock.addAndGet(-60_001 - 1);
        assertThat(receiver.open(future)).isEqualTo(new Rejected(Reason.STALE));
    }

    @Test
    void open_timestampExactlyMaxAgeAwayEitherWay_accepted() {
        byte[] old = sealer(alpha, SEED).seal(new byte[] {1});
        clock.addAndGet(120_000);
        byte[] future = sealer(alpha, SEED + 2).seal(new byte[] {2});
        clock.addAndGet(-60_000);
        DatagramSealer receiver = sealer(alpha, SEED + 3);

        assertThat(receiver.open(future)).isInstanceOf(Opened.class);
        assertThat(receiver.open(old)).isInstanceOf(Opened.class);
    }

    @Test
    void open_truncated_rejected() {
        byte[] datagram = sealer(alpha, SEED).seal(new byte[] {1, 2, 3, 4});
        DatagramSealer receiver = sealer(alpha, SEED + 1);

        assertThat(receiver.open(new byte[0])).isEqualTo(new Rejected(Reason.TOO_SHORT));
        for (int length = 1; length < DatagramSealer.OVERHEAD_BYTES; length++) {
            assertThat(receiver.open(Arrays.copyOf(datagram, length))).as("length %d", length)
                    .isEqualTo(new Rejected(Reason.TOO_SHORT));
        }
        for (int length = DatagramSealer.OVERHEAD_BYTES; length < datagram.length; length++) {
            assertThat(receiver.open(Arrays.copyOf(datagram, length))).as("length %d", length)
                    .isEqualTo(new Rejected(Reason.AUTHENTICATION_FAILED));
        }
        assertThat(receiver.open(datagram)).isInstanceOf(Opened.class);
    }

    @Test
    void open_unknownVersion_rejected() {
        byte[] datagram = sealer(alpha, SEED).seal(new byte[] {1});
        datagram[0] = 2;

        assertThat(sealer(alpha, SEED).open(datagram)).isEqualTo(new Rejected(Reason.UNKNOWN_VERSION));
        assertThat(sealer(alpha, SEED).open(new byte[] {0})).isEqualTo(new Rejected(Reason.UNKNOWN_VERSION));
    }

    @Test
    void seal_payloadTooLargeForADatagram_rejected() {
        assertThatThrownBy(() -> sealer(alpha, SEED).seal(new byte[DatagramSealer.MAX_PAYLOAD_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_nonPositiveMaxAge_rejected() {
        assertThatThrownBy(() -> new DatagramSealer(alpha, clock::get, Duration.ZERO, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 2000)
    void open_arbitraryBytes_neverThrowsAndRejects(@ForAll @Size(max = 200) byte[] datagram) {
        assertThat(sealer(alpha, SEED).open(datagram)).isInstanceOf(Rejected.class);
    }

    @Property(tries = 1000)
    void open_arbitraryBytesBehindAValidHeader_neverThrowsAndRejects(
            @ForAll @Size(max = 200) byte[] body, @ForAll @IntRange(min = 0, max = 255) int version) {
        byte[] datagram = new byte[body.length + 1];
        datagram[0] = (byte) version;
        System.arraycopy(body, 0, datagram, 1, body.length);

        assertThat(sealer(alpha, SEED).open(datagram)).isInstanceOf(Rejected.class);
    }
}
