package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.routing.RegistryMessage.Digest;
import io.iridium.routing.RegistryMessage.Pull;
import io.iridium.routing.RegistryMessage.Update;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Laws of the codec: decode never throws anything but the checked exception; round trips hold. */
class RegistryCodecProperties {

    @Property(tries = 3_000)
    void decode_ofArbitraryBytes_throwsOnlyMalformed(@ForAll @Size(max = 300) byte[] bytes) {
        RegistryCodecTest.decodeOrMalformed(bytes);
    }

    @Property(tries = 2_000)
    void decode_ofMutatedValidMessages_throwsOnlyMalformed_andWhatDecodesReencodes(
            @ForAll("messages") RegistryMessage message, @ForAll("mutations") List<int[]> mutations) throws Exception {
        byte[] bytes = RegistryCodec.encode(message);
        for (int[] mutation : mutations) {
            bytes[Math.floorMod(mutation[0], bytes.length)] = (byte) mutation[1];
        }
        RegistryMessage decoded = RegistryCodecTest.decodeOrMalformed(bytes);
        if (decoded != null) {
            assertThat(RegistryCodec.decode(RegistryCodec.encode(decoded))).isEqualTo(decoded);
        }
    }

    @Property(tries = 1_000)
    void encodeThenDecode_isIdentity(@ForAll("messages") RegistryMessage message) throws Exception {
        assertThat(RegistryCodec.decode(RegistryCodec.encode(message))).isEqualTo(message);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> one = Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
                .as((at, value) -> new int[] {at, value});
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    static Arbitrary<NodeId> ids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(NodeId::new);
    }

    static Arbitrary<Advertisement> advertisements() {
        Arbitrary<Endpoint> endpoints = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withChars('.', ':', 'é').ofMinLength(1).ofMaxLength(30),
                Arbitraries.integers().between(0, 65_535)).as(Endpoint::new);
        Arbitrary<String> tokens = Arbitraries.strings().withCharRange('a', 'e').withChars('é', '-', '\ud83d', '\ude00').ofMinLength(1)
                .ofMaxLength(4).filter(Subjects::isValidSubject);
        Arbitrary<String> patterns = Arbitraries.oneOf(tokens, Arbitraries.just("*")).list().ofMinSize(1).ofMaxSize(4)
                .map(list -> String.join(".", list))
                .flatMap(p -> Arbitraries.of(p, p + ".>"));
        Arbitrary<Map<String, Integer>> services = Arbitraries.maps(tokens, Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .ofMaxSize(4);
        Arbitrary<Set<String>> patternSets = patterns.set().ofMaxSize(4);
        return Combinators.combine(ids(), endpoints, Arbitraries.longs().between(0, Long.MAX_VALUE), services, patternSets)
                .as(Advertisement::of);
    }

    @Provide
    Arbitrary<RegistryMessage> messages() {
        Arbitrary<Map<NodeId, Long>> versions = Arbitraries.maps(ids(), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .ofMaxSize(6);
        Arbitrary<RegistryMessage> digests = Combinators.combine(ids(), Arbitraries.of(Digest.Kind.class), versions)
                .as((sender, kind, v) -> Digest.whole(sender, kind, new TreeMap<>(v)));
        Arbitrary<RegistryMessage> updates = Combinators.combine(ids(), Arbitraries.of(true, false),
                advertisements().list().ofMaxSize(3)).as(Update::new);
        Arbitrary<RegistryMessage> pulls = Combinators.combine(ids(), ids().list().ofMaxSize(5)).as(Pull::new);
        return Arbitraries.oneOf(digests, updates, pulls);
    }
}
