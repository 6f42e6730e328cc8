package io.iridium.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report's arithmetic and orientation: medians of runs, and ratios where higher favours Iridium. */
class ReportTest {

    private static BenchOptions options(Workload workload, List<Contender> peers, int runs) {
        return new BenchOptions(workload, peers, 16, 1000, runs, TlsMode.ON, Optional.empty(), Optional.empty(), 0);
    }

    @Test
    void throughputRatioIsIridiumOverPeerOfMedians() {
        List<RunResult> runs = List.of(
                new RunResult(Contender.IRIDIUM, Map.of("rate", 300.0), Map.of()),
                new RunResult(Contender.NATS, Map.of("rate", 100.0), Map.of()),
                new RunResult(Contender.IRIDIUM, Map.of("rate", 100.0), Map.of()),
                new RunResult(Contender.NATS, Map.of("rate", 200.0), Map.of()),
                new RunResult(Contender.IRIDIUM, Map.of("rate", 200.0), Map.of()),
                new RunResult(Contender.NATS, Map.of("rate", 50.0), Map.of()));
        Report report = new Report(options(Workload.REQUESTS, List.of(Contender.NATS), 3), runs);

        assertThat(report.stats(Contender.IRIDIUM, "rate")).isEqualTo(new Stats(200, 100, 300));
        assertThat(report.ratio(Contender.NATS, "rate")).isEqualTo(2.0);
        StringWriter out = new StringWriter();
        report.printRatios(new PrintWriter(out, true));
        assertThat(out.toString()).isEqualTo("ratio requests iridium/nats = 2.00" + System.lineSeparator());
    }

    @Test
    void latencyRatioIsPeerOverIridiumSoThatHigherFavoursIridium() {
        List<RunResult> runs = List.of(
                new RunResult(Contender.IRIDIUM, Map.of("p50", 20.0, "p99", 50.0, "p999", 90.0), Map.of("client", 100_000L)),
                new RunResult(Contender.ZMQ, Map.of("p50", 30.0, "p99", 40.0, "p999", 80.0), Map.of("client", 50_000L)));
        Report report = new Report(options(Workload.LATENCY, List.of(Contender.ZMQ), 1), runs);

        assertThat(report.ratio(Contender.ZMQ, "p50")).isEqualTo(1.5);
        assertThat(report.ratio(Contender.ZMQ, "p99")).isEqualTo(0.8);
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out, true), Map.of(Contender.IRIDIUM, "on", Contender.ZMQ, "off"));
        assertThat(out.toString())
                .contains("| Iridium | on | 20.0 | 50.0 | 90.0 |")
                .contains("| 1.50 | 0.80 | client 49 |");
    }

    @Test
    void bothTlsModesGiveTwoIridiumRowsAndRatiosUseTheEncryptedOne() {
        BenchOptions options = new BenchOptions(Workload.PUBSUB, List.of(Contender.ZMQ), 16, 10, 1, TlsMode.BOTH,
                Optional.empty(), Optional.empty(), 0);
        assertThat(options.contenders()).containsExactly(Contender.IRIDIUM, Contender.IRIDIUM_PLAINTEXT, Contender.ZMQ);

        Report report = new Report(options, List.of(
                new RunResult(Contender.IRIDIUM, Map.of("rate", 100.0), Map.of()),
                new RunResult(Contender.IRIDIUM_PLAINTEXT, Map.of("rate", 400.0), Map.of()),
                new RunResult(Contender.ZMQ, Map.of("rate", 200.0), Map.of())));

        assertThat(report.ratio(Contender.ZMQ, "rate")).isEqualTo(0.5);
        StringWriter out = new StringWriter();
        report.printRatios(new PrintWriter(out, true));
        assertThat(out.toString()).isEqualTo("ratio pubsub iridium/zmq = 0.50" + System.lineSeparator());
    }

    @Test
    void medianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(new Stats(2.5, 1, 4));
        assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsRejectWhatCannotRun() {
        assertThatThrownBy(() -> BenchOptions.parsePeers("rabbit")).hasMessageContaining("nats, zmq, all or none");
        assertThatThrownBy(() -> Workload.parse("bogus")).hasMessageContaining("pubsub, fanout, latency, requests, tunnel");
        assertThatThrownBy(() -> new BenchOptions(Workload.PUBSUB, List.of(), 16, 0, 1, TlsMode.ON,
                Optional.empty(), Optional.empty(), 0)).hasMessageContaining("--count");
        assertThatThrownBy(() -> new BenchOptions(Workload.PUBSUB, List.of(), 16, 1, 1, TlsMode.ON,
                Optional.empty(), Optional.of("nats://10.1.2.3:4222"), 0)).hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> new BenchOptions(Workload.TUNNEL, List.of(), 65536, 1, 1, TlsMode.OFF,
                Optional.empty(), Optional.empty(), 0)).hasMessageContaining("--tls on only");
        assertThatThrownBy(() -> new BenchOptions(Workload.PUBSUB, List.of(), 16, 1, 1, TlsMode.ON,
                Optional.empty(), Optional.empty(), 0, -1)).hasMessageContaining("--warmup-seconds");
        assertThat(new BenchOptions(Workload.PUBSUB, List.of(), 16, 1, 1, TlsMode.ON,
                Optional.empty(), Optional.empty(), 0).warmupMillis()).isEqualTo(BenchOptions.DEFAULT_WARMUP_MILLIS);
        assertThatThrownBy(() -> TlsMode.parse("maybe")).hasMessageContaining("on, off or both");
        assertThat(Workload.PUBSUB.defaultCount(1024)).isEqualTo(500_000);
        assertThat(Workload.PUBSUB.defaultCount(16)).isEqualTo(2_000_000);
    }
}
