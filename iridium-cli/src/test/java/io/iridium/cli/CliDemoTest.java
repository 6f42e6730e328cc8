package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: {@code iridium demo} runs five real nodes in-process and shows every act. */
final class CliDemoTest {

    @Test
    @Timeout(90)
    void demo_fiveNodesOnLoopback_showEveryActAndExitZero() {
        RunResult result = RunResult.run("demo", "--deadline", "30");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("Act 1: 5 nodes find each other")
                .contains("node-5  sees 5 of 5")
                .contains("Converged: every node sees all 5 members")
                .contains("Act 2: A node crashes; the others notice")
                .contains("crashed node-5")
                .contains("Every other node declared node-5 failed")
                .contains("Act 3: Three databases share the requests")
                .contains("node-4's routes list all 3 members")
                .contains("300 requests answered")
                .contains("Act 4: A broadcast reaches every member")
                .contains("All 3 members received it")
                .contains("Act 5: A wildcard subscription hears two topics")
                .contains("node-2 received orders.created", "node-2 received orders.shipped")
                .contains("node-2 received 2 events")
                .contains("Act 6: A tunnel carries an 8 MiB file")
                .contains("They match: 8 MiB arrived intact")
                .contains("Act 7: A member crashes mid-load; requests carry on")
                .contains("crashed node-3 after")
                .contains("failed as outcome unknown")
                .contains("None was lost silently")
                .contains("Done in");
        assertThat(result.err()).isEmpty();
    }
}
