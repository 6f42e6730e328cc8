package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link BeaconCodec#decode} with arbitrary bytes: it must either return a beacon or throw
 * {@link MalformedBeaconException} (any other throwable fails the target), and every beacon it
 * returns must re-encode to exactly the input (the format is canonical) and decode to an equal
 * beacon.
 *
 * <p>In {@code mvn verify} (the {@code fuzz} profile of iridium-core's pom, with
 * {@code JAZZER_FUZZ=1}) this fuzzes for {@code maxDuration}; elsewhere it replays its seeds and
 * saved findings. One fuzz target per class: Jazzer fuzzes only one target per JVM.
 */
class BeaconCodecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode_arbitraryBytes_onlyBeaconsOrMalformedAndCanonical(byte[] bytes) {
        Beacon beacon;
        try {
            beacon = BeaconCodec.decode(bytes);
        } catch (MalformedBeaconException expected) {
            return;
        }
        byte[] reencoded = BeaconCodec.encode(beacon);
        assertThat(reencoded).isEqualTo(bytes);
        try {
            assertThat(BeaconCodec.decode(reencoded)).isEqualTo(beacon);
        } catch (MalformedBeaconException e) {
            throw new AssertionError("re-encoded " + beacon + " does not decode: " + e.getMessage(), e);
        }
    }
}
