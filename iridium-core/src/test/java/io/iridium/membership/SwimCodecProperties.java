package io.iridium.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.NodeId;
import io.iridium.membership.SwimMessage.Update;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Laws of the codec: decode never throws anything but MalformedMessageException; round trips hold. */
class SwimCodecProperties {

    @Property(tries = 3_000)
    void decode_ofArbitraryBytes_throwsOnlyMalformed(@ForAll @Size(max = 400) byte[] datagram) {
        SwimCodecTest.decodeOrMalformed(datagram);
    }

    @Property(tries = 2_000)
    void decode_ofMutatedValidMessages_throwsOnlyMalformed(@ForAll("messages") SwimMessage message,
                                                          @ForAll("mutations") List<int[]> mutations) {
        byte[] bytes = SwimCodec.encode(message);
        for (int[] mutation : mutations) {
            bytes[Math.floorMod(mutation[0], bytes.length)] = (byte) mutation[1];
        }
        SwimCodecTest.decodeOrMalformed(bytes);
    }

    @Property(tries = 1_000)
    void encodeThenDecode_isIdentity(@ForAll("messages") SwimMessage message) throws MalformedMessageException {
        assertThat(SwimCodec.decode(SwimCodec.encode(message))).isEqualTo(message);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> one = Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
                .as((at, value) -> new int[] {at, value});
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<SwimMessage> messages() {
        Arbitrary<NodeId> ids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(NodeId::new);
        Arbitrary<Endpoint> endpoints = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withChars(':', '.', 'é').ofMinLength(1).ofMaxLength(40),
                Arbitraries.integers().between(0, 65_535)).as(Endpoint::new);
        Arbitrary<Member> members = Combinators.combine(ids,
                Arbitraries.strings().ofMaxLength(20).filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)),
                endpoints, Arbitraries.longs().between(0, SwimCodec.MAX_INCARNATION), Arbitraries.of(MemberState.class))
                .as(Member::new);
        Arbitrary<List<Update>> gossip = Combinators.combine(members, ids).as(Update::new).list().ofMaxSize(5);
        Arbitrary<Long> sequences = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Arbitraries.oneOf(
                Combinators.combine(ids, endpoints, sequences, ids, gossip).as(SwimMessage.Ping::new),
                Combinators.combine(ids, endpoints, sequences, gossip).as(SwimMessage.Ack::new),
                Combinators.combine(ids, endpoints, sequences, ids, endpoints, gossip).as(SwimMessage.PingReq::new),
                Combinators.combine(ids, endpoints, sequences, gossip).as(SwimMessage.Nack::new),
                Combinators.combine(ids, endpoints, gossip).as(SwimMessage.Rumor::new),
                Combinators.combine(ids, endpoints, Arbitraries.of(true, false), members.list().ofMaxSize(5))
                        .as((id, at, reply, list) -> new SwimMessage.PushPull(id, at, reply, 0, 1, list)));
    }
}
