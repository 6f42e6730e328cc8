package io.iridium.membership;

import static io.iridium.membership.SwimHarness.address;
import static io.iridium.membership.SwimHarness.id;
import static io.iridium.membership.SwimHarness.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.NodeId;
import io.iridium.membership.SwimMessage.Ack;
import io.iridium.membership.SwimMessage.Nack;
import io.iridium.membership.SwimMessage.Ping;
import io.iridium.membership.SwimMessage.PingReq;
import io.iridium.membership.SwimMessage.PushPull;
import io.iridium.membership.SwimMessage.Rumor;
import io.iridium.membership.SwimMessage.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SWIM wire format: round trips, and every way a datagram can be wrong. */
class SwimCodecTest {

    static List<SwimMessage> samples() {
        List<Update> gossip = List.of(
                new Update(member(1, MemberState.ALIVE, 0), id(1)),
                new Update(member(2, MemberState.SUSPECT, 300), id(3)),
                new Update(new Member(new NodeId(-1, Long.MIN_VALUE), "nœud-é", new Endpoint("fe80::1", 65_535),
                        SwimCodec.MAX_INCARNATION, MemberState.DEAD), id(4)),
                new Update(new Member(id(5), "", address(5), 1, MemberState.LEFT), id(5)));
        return List.of(
                new Ping(id(0), address(0), 0, id(1), List.of()),
                new Ping(id(0), address(0), Long.MAX_VALUE, id(1), gossip),
                new Ack(id(1), address(1), 127, gossip),
                new PingReq(id(0), address(0), 128, id(2), new Endpoint("host.example", 0), gossip),
                new Nack(id(2), address(2), 16_384, List.of()),
                new Rumor(id(3), address(3), gossip),
                new PushPull(id(4), address(4), false, 0, 1, List.of()),
                new PushPull(id(4), address(4), true, 2, 3, gossip.stream().map(Update::member).toList()));
    }

    @Test
    void roundTrip_everyMessageType_decodesToAnEqualMessage() throws Exception {
        for (SwimMessage message : samples()) {
            assertThat(SwimCodec.decode(SwimCodec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void encodedSize_matchesTheBytesWritten() {
        Update update = new Update(member(1, MemberState.SUSPECT, 1_000_000), id(2));
        byte[] without = SwimCodec.encode(new Rumor(id(0), address(0), List.of()));
        byte[] with = SwimCodec.encode(new Rumor(id(0), address(0), List.of(update)));
        assertThat(with.length - without.length).isEqualTo(SwimCodec.encodedSize(update));
        assertThat(without.length).isEqualTo(SwimCodec.headerSize(address(0)) + 1);
    }

    @Test
    void truncation_atEveryLength_isMalformed() {
        for (SwimMessage message : samples()) {
            byte[] full = SwimCodec.encode(message);
            for (int length = 0; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                assertThatThrownBy(() -> SwimCodec.decode(cut))
                        .as("%s cut to %d bytes", message.getClass().getSimpleName(), length)
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
    }

    @Test
    void everySingleByteCorruption_decodesOrIsMalformed_neverAnythingElse() {
        for (SwimMessage message : samples()) {
            byte[] full = SwimCodec.encode(message);
            for (int i = 0; i < full.length; i++) {
                for (int value : new int[] {0, 1, 0x7F, 0x80, 0xFF, full[i] ^ 0x01}) {
                    byte[] bad = full.clone();
                    bad[i] = (byte) value;
                    decodeOrMalformed(bad);
                }
            }
        }
    }

    static void decodeOrMalformed(byte[] datagram) {
        try {
            SwimMessage decoded = SwimCodec.decode(datagram);
            assertThat(SwimCodec.decode(SwimCodec.encode(decoded))).isEqualTo(decoded);
        } catch (MalformedMessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void trailingBytes_areMalformed() {
        byte[] full = SwimCodec.encode(samples().get(2));
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThatThrownBy(() -> SwimCodec.decode(longer)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void unknownVersionOrType_isMalformed() {
        byte[] full = SwimCodec.encode(samples().get(0));
        byte[] version = full.clone();
        version[0] = 9;
        byte[] type = full.clone();
        type[1] = 42;
        assertThatThrownBy(() -> SwimCodec.decode(version)).hasMessageContaining("version");
        assertThatThrownBy(() -> SwimCodec.decode(type)).hasMessageContaining("type");
    }

    @Test
    void oversizedDatagram_isRefusedBeforeParsing() {
        assertThatThrownBy(() -> SwimCodec.decode(new byte[SwimCodec.MAX_DATAGRAM_BYTES + 1]))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> SwimCodec.decode(null)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void invalidUtf8InAHost_isMalformed() {
        byte[] full = SwimCodec.encode(new Rumor(id(0), new Endpoint("abc", 1), List.of()));
        int hostStart = 2 + 16 + 1;
        full[hostStart] = (byte) 0xC3; // a lead byte followed by 'b': not UTF-8
        assertThatThrownBy(() -> SwimCodec.decode(full)).hasMessageContaining("UTF-8");
    }

    @Test
    void countsLargerThanTheBytesLeft_areRefusedBeforeAllocating() {
        byte[] header = SwimCodec.encode(new Rumor(id(0), address(0), List.of()));
        header[header.length - 1] = (byte) 200;
        assertThatThrownBy(() -> SwimCodec.decode(header)).hasMessageContaining("cannot fit");

        byte[] state = SwimCodec.encode(new PushPull(id(0), address(0), false, 0, 1, List.of()));
        state[state.length - 2] = (byte) 0xFF;
        state[state.length - 1] = (byte) 0xFF;
        assertThatThrownBy(() -> SwimCodec.decode(state)).hasMessageContaining("cannot fit");
    }

    @Test
    void pushPullPartBeyondParts_isMalformed() {
        byte[] state = SwimCodec.encode(new PushPull(id(0), address(0), false, 0, 1, List.of()));
        int partAt = state.length - 6;
        state[partAt + 1] = 1; // part 1 of 1
        assertThatThrownBy(() -> SwimCodec.decode(state)).hasMessageContaining("part");
    }

    @Test
    void encoding_refusesNamesOverTheLimit() {
        Member longName = new Member(id(1), "x".repeat(256), address(1), 0, MemberState.ALIVE);
        List<Member> members = new ArrayList<>(List.of(longName));
        assertThatThrownBy(() -> SwimCodec.encode(new PushPull(id(0), address(0), false, 0, 1, members)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void incarnationAboveTheCeiling_isMalformed_soNoMemberCanBePushedPastRefuting() {
        Member tooHigh = new Member(id(9), "n9", address(9), SwimCodec.MAX_INCARNATION + 1, MemberState.ALIVE);
        byte[] datagram = SwimCodec.encode(new Ping(id(0), address(0), 1, id(1), List.of(new Update(tooHigh, id(9)))));
        assertThatThrownBy(() -> SwimCodec.decode(datagram))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("incarnation");
    }
}
