package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: {@code iridium demo} runs five real nodes in-process and shows both acts. */
final class CliDemoTest {

    @Test
    @Timeout(60)
    void demo_fiveNodesOnLoopback_convergeDetectTheCrashAndExitZero() {
        RunResult result = RunResult.run("demo", "--deadline", "30");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("Act 1: 5 nodes find each other")
                .contains("node-5  sees 5 of 5")
                .contains("Converged: every node sees all 5 members")
                .contains("Act 2: A node crashes; the others notice")
                .contains("crashed node-5")
                .contains("Every other node declared node-5 failed")
                .contains("Done in");
        assertThat(result.err()).isEmpty();
    }
}
