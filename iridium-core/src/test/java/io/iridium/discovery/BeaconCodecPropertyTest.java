package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of {@link BeaconCodec}: decode is total (only ever {@link MalformedBeaconException}) and inverts encode. */
class BeaconCodecPropertyTest {

    @Property(tries = 5_000)
    void decode_anyBytes_throwsNothingButMalformed(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            Beacon beacon = BeaconCodec.decode(bytes);
            assertThat(BeaconCodec.encode(beacon)).isEqualTo(bytes);
        } catch (MalformedBeaconException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 5_000)
    void decode_validBeaconWithBytesChanged_throwsNothingButMalformed(
            @ForAll("beacons") Beacon beacon,
            @ForAll @IntRange(min = 0, max = 300) int index,
            @ForAll byte value) {
        byte[] bytes = BeaconCodec.encode(beacon);
        bytes[index % bytes.length] = value;
        try {
            BeaconCodec.decode(bytes);
        } catch (MalformedBeaconException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 2_000)
    void decode_ofEncode_isIdentity(@ForAll("beacons") Beacon beacon) throws MalformedBeaconException {
        assertThat(BeaconCodec.decode(BeaconCodec.encode(beacon))).isEqualTo(beacon);
    }

    @Provide
    Arbitrary<Beacon> beacons() {
        Arbitrary<String> hosts = Arbitraries.strings()
                .withChars("abcxyzABC0189.:%_-")
                .ofMinLength(1)
                .ofMaxLength(BeaconCodec.MAX_HOST_LENGTH);
        Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65_535);
        Arbitrary<Long> ids = Arbitraries.longs();
        return Combinators.combine(ids, hosts, ports).as((id, host, port) -> new Beacon(id, new Endpoint(host, port)));
    }
}
