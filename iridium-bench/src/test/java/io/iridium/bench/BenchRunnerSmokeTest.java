package io.iridium.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness end to end with Iridium alone and tiny counts: real child JVMs, real nodes on
 * loopback with TLS, the line protocol, the report. No peer system is needed; timing targets
 * live in the benchmark itself, never here.
 */
class BenchRunnerSmokeTest {

    private record Outcome(int code, String out, String err) {}

    private static Outcome run(BenchOptions options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchRunner.run(options, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static BenchOptions iridiumOnly(Workload workload, long count) {
        return new BenchOptions(workload, List.of(), workload.defaultSize(), count, 1, TlsMode.ON,
                Optional.empty(), Optional.empty(), 0, 0);
    }

    @Test
    @Timeout(120)
    void pubsubRunsBetweenTwoProcessesAndReportsATable() {
        Outcome outcome = run(iridiumOnly(Workload.PUBSUB, 2_000));

        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("### pubsub: 16 B × 2,000, 1 run per system").contains("- machine: ");
        Matcher row = Pattern.compile("\\| Iridium \\| on \\| ([0-9,.]+) \\|.*\\| ([0-9.]+)% \\|.*sub (\\d+), pub (\\d+) \\|")
                .matcher(outcome.out());
        assertThat(row.find()).as(outcome.out()).isTrue();
        assertThat(Double.parseDouble(row.group(1).replace(",", ""))).isPositive();
        assertThat(Double.parseDouble(row.group(2))).isEqualTo(100.0);
        assertThat(Long.parseLong(row.group(3))).isPositive();
        assertThat(Long.parseLong(row.group(4))).isPositive();
        assertThat(outcome.out()).doesNotContain("ratio "); // no peer, no ratio line
    }

    @Test
    void aMissingNatsServerIsAClearFailure() {
        BenchOptions options = new BenchOptions(Workload.PUBSUB, List.of(Contender.NATS), 16, 10, 1, TlsMode.ON,
                Optional.of(java.nio.file.Path.of("/nonexistent/nats-server")), Optional.empty(), 0);

        Outcome outcome = run(options);

        assertThat(outcome.code()).isEqualTo(BenchRunner.PEER_FAILED);
        assertThat(outcome.err()).contains("cannot start NATS").contains("/nonexistent/nats-server");
    }
}
