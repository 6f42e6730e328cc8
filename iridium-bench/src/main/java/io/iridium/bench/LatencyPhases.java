package io.iridium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tells whether a latency run's slow requests keep time with something periodic in the machine,
 * from the traces the latency role writes when {@code IRIDIUM_BENCH_LATENCY_TRACE} names a
 * directory: {@code bin/bench phases FILE...}.
 *
 * <p>It folds each request's send time onto one period (1 ms unless {@code --period-us} says
 * otherwise), in {@value #BUCKETS} equal phase buckets, and prints per bucket the share of its
 * requests that were slow (slower than the run's p95). A cause unrelated to the clock spreads the
 * slow requests evenly; a periodic disturbance (a timer interrupt on the host, say) piles them up
 * in a few buckets. Two control periods 0.1% off the asked one must come out flat, or the pile-up
 * is an artefact of the run's own rhythm. Buckets more than twice the median bucket's share are
 * <em>hot</em>; the p99 of the requests sent outside them estimates the p99 the run would have had
 * without the disturbance.
 */
public final class LatencyPhases {
    static final int BUCKETS = 25;

    private LatencyPhases() {}

    /** What one trace shows for one period. */
    record Phases(int requests, double p50Micros, double p95Micros, double p99Micros,
                  double[] slowShareByBucket, double concentration, boolean[] hot,
                  double hotRequestShare, double p99OutsideHotMicros) {}

    /**
     * Folds a trace onto {@code periodNanos}.
     *
     * @param sentNanos      when each request was sent, from any fixed origin
     * @param roundTripNanos each request's round trip
     */
    static Phases analyze(long[] sentNanos, long[] roundTripNanos, long periodNanos) {
        int n = roundTripNanos.length;
        if (n == 0 || sentNanos.length != n) {
            throw new IllegalArgumentException("a trace needs as many send times as round trips, and at least one");
        }
        long[] sorted = roundTripNanos.clone();
        Arrays.sort(sorted);
        long p95 = percentile(sorted, 0.95);
        int[] requests = new int[BUCKETS];
        int[] slow = new int[BUCKETS];
        for (int i = 0; i < n; i++) {
            int bucket = bucket(sentNanos[i], periodNanos);
            requests[bucket]++;
            if (roundTripNanos[i] > p95) {
                slow[bucket]++;
            }
        }
        double[] share = new double[BUCKETS];
        int slowTotal = 0;
        int maxSlow = 0;
        for (int b = 0; b < BUCKETS; b++) {
            share[b] = requests[b] == 0 ? 0 : (double) slow[b] / requests[b];
            slowTotal += slow[b];
            maxSlow = Math.max(maxSlow, slow[b]);
        }
        double concentration = slowTotal == 0 ? 1 : maxSlow / (slowTotal / (double) BUCKETS);
        double[] shares = share.clone();
        Arrays.sort(shares);
        double medianShare = shares[BUCKETS / 2];
        boolean[] hot = new boolean[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            hot[b] = share[b] > 2 * medianShare && slow[b] > 0;
        }
        long[] outside = new long[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!hot[bucket(sentNanos[i], periodNanos)]) {
                outside[kept++] = roundTripNanos[i];
            }
        }
        long[] outsideSorted = Arrays.copyOf(outside, kept);
        Arrays.sort(outsideSorted);
        return new Phases(n, micros(percentile(sorted, 0.50)), micros(p95), micros(percentile(sorted, 0.99)),
                share, concentration, hot, 1 - (double) kept / n,
                kept == 0 ? Double.NaN : micros(percentile(outsideSorted, 0.99)));
    }

    private static int bucket(long sentNanos, long periodNanos) {
        return (int) (Math.floorMod(sentNanos, periodNanos) * BUCKETS / periodNanos);
    }

    /** The value at quantile {@code q} of sorted values: the smallest with at least q of them at or below it. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    /** Reads a trace: one request per line, its send time and its round trip in nanoseconds. */
    static long[][] read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
        long[] sent = new long[lines.size()];
        long[] roundTrip = new long[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).trim().split("\\s+");
            if (fields.length != 2) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'sentNanos roundTripNanos', got '" + lines.get(i) + "'");
            }
            try {
                sent[i] = Long.parseLong(fields[0]);
                roundTrip[i] = Long.parseLong(fields[1]);
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a number: '" + lines.get(i) + "'", e);
            }
        }
        return new long[][] {sent, roundTrip};
    }

    /** The report for one trace file. */
    static String report(Path file, long[][] trace, long periodNanos) {
        Phases phases = analyze(trace[0], trace[1], periodNanos);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %,d requests, p50 %.1f µs, p95 %.1f µs, p99 %.1f µs%n",
                file.getFileName(), phases.requests(), phases.p50Micros(), phases.p95Micros(), phases.p99Micros()));
        out.append(String.format(Locale.ROOT, "  share slower than p95, by send phase in %.3f ms (%d buckets):%n   ",
                periodNanos / 1e6, BUCKETS));
        for (int b = 0; b < BUCKETS; b++) {
            out.append(String.format(Locale.ROOT, " %.2f%s", phases.slowShareByBucket()[b], phases.hot()[b] ? "*" : ""));
        }
        out.append(String.format(Locale.ROOT, "%n  concentration (busiest bucket's slow requests over the mean): %.2f;"
                        + " controls at %.3f and %.3f ms: %.2f and %.2f%n",
                phases.concentration(), periodNanos * 0.999 / 1e6, periodNanos * 1.001 / 1e6,
                analyze(trace[0], trace[1], Math.round(periodNanos * 0.999)).concentration(),
                analyze(trace[0], trace[1], Math.round(periodNanos * 1.001)).concentration()));
        out.append(String.format(Locale.ROOT, "  hot buckets (*) hold %.1f%% of the requests; p99 of the others: %.1f µs%n",
                100 * phases.hotRequestShare(), phases.p99OutsideHotMicros()));
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        long periodNanos = 1_000_000;
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--period-us") && i + 1 < args.length) {
                periodNanos = Math.round(Double.parseDouble(args[++i]) * 1e3);
            } else {
                files.add(args[i]);
            }
        }
        if (files.isEmpty() || periodNanos < BUCKETS) {
            System.err.println("usage: bin/bench phases [--period-us MICROS] TRACE...   (traces from"
                    + " IRIDIUM_BENCH_LATENCY_TRACE=DIR bin/bench latency ...)");
            System.exit(2);
        }
        for (String name : files) {
            Path file = Path.of(name);
            System.out.print(report(file, read(file), periodNanos));
        }
    }
}
