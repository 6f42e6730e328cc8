package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Endpoint;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BeaconCodecTest {

    @RegisterExtension
    final SeedReporter seeds = new SeedReporter();

    static Beacon decodeUnchecked(byte[] bytes) {
        try {
            return BeaconCodec.decode(bytes);
        } catch (MalformedBeaconException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "127.0.0.1", "::1", "fe80::1%eth0", "2001:db8::7", "node-1.iridium_svc.example"})
    void encodeThenDecode_anyValidBeacon_givesItBack(String host) {
        Beacon beacon = new Beacon(0x0123_4567_89ab_cdefL, new Endpoint(host, 7946));
        byte[] bytes = BeaconCodec.encode(beacon);
        assertThat(bytes).hasSize(BeaconCodec.HEADER_LENGTH + host.length());
        assertThat(decodeUnchecked(bytes)).isEqualTo(beacon);
    }

    @Test
    void encodeThenDecode_extremes_givesThemBack() {
        Beacon longest = new Beacon(-1L, new Endpoint("a".repeat(BeaconCodec.MAX_HOST_LENGTH), 65_535));
        Beacon shortest = new Beacon(0L, new Endpoint("x", 1));
        assertThat(BeaconCodec.encode(longest)).hasSize(BeaconCodec.MAX_LENGTH);
        assertThat(decodeUnchecked(BeaconCodec.encode(longest))).isEqualTo(longest);
        assertThat(decodeUnchecked(BeaconCodec.encode(shortest))).isEqualTo(shortest);
    }

    @Test
    void encode_layout_matchesTheDiagram() {
        byte[] bytes = BeaconCodec.encode(new Beacon(0x0102030405060708L, new Endpoint("h", 0x1f0e)));
        assertThat(bytes).containsExactly('I', 'B', 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x1f, 0x0e, 1, 'h');
    }

    @Test
    void decode_everyTruncationAndExtension_isMalformed() {
        byte[] valid = BeaconCodec.encode(new Beacon(42, new Endpoint("10.0.0.1", 7946)));
        for (int length = 0; length < valid.length; length++) {
            byte[] cut = Arrays.copyOf(valid, length);
            assertThatThrownBy(() -> BeaconCodec.decode(cut)).as("length %d", length)
                    .isInstanceOf(MalformedBeaconException.class);
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> BeaconCodec.decode(longer)).isInstanceOf(MalformedBeaconException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void decode_randomGarbageAtEveryLength_onlyEverMalformed() {
        SplittableRandom random = new SplittableRandom(seeds.seed);
        for (int length = 0; length <= BeaconCodec.MAX_LENGTH + 16; length++) {
            for (int round = 0; round < 50; round++) {
                byte[] garbage = new byte[length];
                random.nextBytes(garbage);
                if (round % 2 == 1 && length >= BeaconCodec.HEADER_LENGTH) {
                    // Plausible headers get further into the decoder.
                    garbage[0] = 'I';
                    garbage[1] = 'B';
                    garbage[2] = 1;
                    garbage[3] = 0;
                    garbage[14] = (byte) (length - BeaconCodec.HEADER_LENGTH);
                }
                decodeOrMalformed(garbage);
            }
        }
    }

    @Test
    void decode_everySingleByteChange_decodesValidOrIsMalformed() {
        byte[] valid = BeaconCodec.encode(new Beacon(42, new Endpoint("fe80::1%eth0", 7946)));
        for (int i = 0; i < valid.length; i++) {
            for (int value = 0; value < 256; value++) {
                byte[] changed = valid.clone();
                changed[i] = (byte) value;
                decodeOrMalformed(changed);
            }
        }
    }

    private static void decodeOrMalformed(byte[] bytes) {
        try {
            Beacon beacon = BeaconCodec.decode(bytes);
            assertThat(BeaconCodec.encode(beacon)).isEqualTo(bytes);
        } catch (MalformedBeaconException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void decode_specificFaults_sayWhatIsWrong() {
        byte[] valid = BeaconCodec.encode(new Beacon(42, new Endpoint("10.0.0.1", 7946)));
        assertMalformed(with(valid, 0, 'X'), "magic");
        assertMalformed(with(valid, 2, 2), "version");
        assertMalformed(with(valid, 3, 1), "flags");
        assertMalformed(with(with(valid, 12, 0), 13, 0), "port");
        assertMalformed(with(valid, 14, 0), "length");
        assertMalformed(with(valid, BeaconCodec.HEADER_LENGTH, ' '), "character");
        assertMalformed(with(valid, BeaconCodec.HEADER_LENGTH, 0xc3), "character");
        assertMalformed(null, "no beacon");
        byte[] zeroHost = Arrays.copyOf(valid, BeaconCodec.HEADER_LENGTH);
        zeroHost[14] = 0;
        assertMalformed(zeroHost, "host length");
    }

    @Test
    void beacon_unencodableEndpoint_rejected() {
        assertThatThrownBy(() -> new Beacon(1, new Endpoint("10.0.0.1", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> new Beacon(1, new Endpoint("a".repeat(254), 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> new Beacon(1, new Endpoint("nöde", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character");
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static void assertMalformed(byte[] bytes, String messagePart) {
        assertThatThrownBy(() -> BeaconCodec.decode(bytes)).isInstanceOf(MalformedBeaconException.class)
                .hasMessageContaining(messagePart);
    }
}
