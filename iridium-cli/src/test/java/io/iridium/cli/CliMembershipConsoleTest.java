package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code iridium node} prints one readable, timestamped line per membership change, in order. */
final class CliMembershipConsoleTest {

    private static final Member BRAVO = new Member(
            NodeId.parse("04d2e81700000000000000000000000b"), "bravo", new Endpoint("127.0.0.1", 7947), 0, MemberState.ALIVE);

    @Test
    void describe_eachKindOfEvent_saysWhatHappenedToWhom() {
        assertThat(MembershipConsole.describe(new MembershipEvent.Joined(BRAVO)))
                .isEqualTo("joined     bravo (04d2e817) at 127.0.0.1:7947");
        assertThat(MembershipConsole.describe(new MembershipEvent.Suspected(BRAVO.with(MemberState.SUSPECT, 0))))
                .startsWith("suspected  bravo (04d2e817)").contains("unanswered");
        assertThat(MembershipConsole.describe(new MembershipEvent.Alive(BRAVO.with(MemberState.ALIVE, 1))))
                .startsWith("alive      bravo").contains("incarnation 1");
        assertThat(MembershipConsole.describe(new MembershipEvent.Failed(BRAVO.with(MemberState.DEAD, 0))))
                .startsWith("failed     bravo").contains("dead");
        assertThat(MembershipConsole.describe(new MembershipEvent.Left(BRAVO.with(MemberState.LEFT, 0))))
                .isEqualTo("left       bravo (04d2e817) at 127.0.0.1:7947");
    }

    @Test
    void onEvent_printsTimestampedLinesInOrder() throws Exception {
        AwaitableOutput output = new AwaitableOutput();
        Clock noon = Clock.fixed(Instant.parse("2025-01-01T12:00:00.250Z"), ZoneOffset.UTC);
        try (MembershipConsole console = new MembershipConsole(output.printWriter(), noon)) {
            console.onEvent(new MembershipEvent.Joined(BRAVO));
            console.onEvent(new MembershipEvent.Left(BRAVO.with(MemberState.LEFT, 0)));

            String text = output.awaitContains("left", Duration.ofSeconds(10));

            assertThat(text.lines()).containsExactly(
                    "12:00:00.250  joined     bravo (04d2e817) at 127.0.0.1:7947",
                    "12:00:00.250  left       bravo (04d2e817) at 127.0.0.1:7947");
        }
    }
}
