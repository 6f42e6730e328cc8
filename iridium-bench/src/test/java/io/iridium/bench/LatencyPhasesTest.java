package io.iridium.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LatencyPhases} on synthetic traces whose slow requests are, or are not, periodic. */
class LatencyPhasesTest {
    static final long PERIOD = 1_000_000;

    /**
     * Requests every 97 µs (so their phases sweep the period), 80-100 µs each, 3% of them 200-220
     * µs at random; with {@code disturbed}, those sent in the phase window [700, 780) µs take
     * 300-320 µs.
     */
    static long[][] trace(boolean disturbed) {
        SplittableRandom random = new SplittableRandom(42);
        int n = 50_000;
        long[] sent = new long[n];
        long[] roundTrip = new long[n];
        for (int i = 0; i < n; i++) {
            sent[i] = i * 97_000L;
            long phase = sent[i] % PERIOD;
            long jitter = random.nextLong(20_000);
            roundTrip[i] = (random.nextDouble() < 0.03 ? 200_000 : 80_000) + jitter;
            if (disturbed && phase >= 700_000 && phase < 780_000) {
                roundTrip[i] = 300_000 + jitter;
            }
        }
        return new long[][] {sent, roundTrip};
    }

    @Test
    void slowRequestsInOnePhaseWindow_areFoundHot_andTheRestKeepTheirP99() {
        long[][] trace = trace(true);
        LatencyPhases.Phases phases = LatencyPhases.analyze(trace[0], trace[1], PERIOD);
        assertThat(phases.p99Micros()).isBetween(300.0, 320.0);
        assertThat(phases.hot()[17]).as("phase 680-720 µs").isTrue();
        assertThat(phases.hot()[18]).as("phase 720-760 µs").isTrue();
        assertThat(phases.hot()[5]).isFalse();
        assertThat(phases.concentration()).isGreaterThan(5);
        assertThat(phases.p99OutsideHotMicros()).as("without the window, the random 3% set the p99").isBetween(200.0, 220.0);
        assertThat(phases.hotRequestShare()).isBetween(0.08, 0.16);

        LatencyPhases.Phases control = LatencyPhases.analyze(trace[0], trace[1], Math.round(PERIOD * 0.999));
        assertThat(control.concentration()).as("the same trace folded on a wrong period").isLessThan(phases.concentration() / 2);
    }

    @Test
    void slowRequestsAtRandom_leaveNoBucketHot() {
        long[][] trace = trace(false);
        LatencyPhases.Phases phases = LatencyPhases.analyze(trace[0], trace[1], PERIOD);
        assertThat(phases.concentration()).isLessThan(1.5);
        assertThat(phases.hot()).doesNotContain(true);
        assertThat(phases.p99OutsideHotMicros()).isEqualTo(phases.p99Micros());
    }

    @Test
    void aTraceFile_isReadBack_andABadLineIsNamed(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.txt");
        Files.writeString(good, "0 80000\n97000 81000\n\n");
        long[][] trace = LatencyPhases.read(good);
        assertThat(trace[0]).containsExactly(0, 97_000);
        assertThat(trace[1]).containsExactly(80_000, 81_000);
        assertThat(LatencyPhases.report(good, trace, PERIOD)).contains("2 requests").contains("p99 81.0 µs");

        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "0 80000\n97000 eighty\n");
        assertThatThrownBy(() -> LatencyPhases.read(bad)).isInstanceOf(IOException.class).hasMessageContaining("bad.txt:2");
    }

    @Test
    void percentiles_areTheSmallestValueWithThatShareAtOrBelowIt() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(LatencyPhases.percentile(sorted, 0.5)).isEqualTo(5);
        assertThat(LatencyPhases.percentile(sorted, 0.99)).isEqualTo(10);
        assertThat(LatencyPhases.percentile(sorted, 0.0)).isEqualTo(1);
    }
}
