package io.iridium.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the runs of one workload into the report: a Markdown table with each system's median,
 * minimum and maximum, the ratio Iridium/peer, and peak RSS per process; then, as the last lines,
 * one {@code ratio WORKLOAD iridium/PEER = X.XX} line per peer, oriented so that higher is better
 * for Iridium (for latency, the peer's p50 over Iridium's).
 */
final class Report {
    private final BenchOptions options;
    private final Map<Contender, List<RunResult>> byContender = new LinkedHashMap<>();

    Report(BenchOptions options, List<RunResult> results) {
        this.options = options;
        for (Contender contender : options.contenders()) {
            byContender.put(contender, new ArrayList<>());
        }
        for (RunResult result : results) {
            byContender.get(result.contender()).add(result);
        }
    }

    /** One run's figure, for the progress line. */
    static String brief(Workload workload, RunResult result) {
        if (workload == Workload.LATENCY) {
            return String.format(Locale.ROOT, "p50 %.1f µs  p99 %.1f µs  p99.9 %.1f µs",
                    result.metric("p50"), result.metric("p99"), result.metric("p999"));
        }
        String delivered = result.metrics().containsKey("delivered") && result.metric("delivered") < 1
                ? String.format(Locale.ROOT, "  (%.1f%% delivered)", 100 * result.metric("delivered"))
                : "";
        return String.format(Locale.ROOT, "%s %s%s", number(result.metric("rate")), workload.unit(), delivered);
    }

    /** The figure the ratio line compares: rate, or p50 for latency. */
    private String headline() {
        return options.workload() == Workload.LATENCY ? "p50" : "rate";
    }

    Stats stats(Contender contender, String metric) {
        return Stats.of(byContender.get(contender).stream().map(run -> run.metric(metric)).toList());
    }

    /** Iridium's advantage over {@code peer}: higher is better for Iridium. */
    double ratio(Contender peer, String metric) {
        double iridium = stats(options.iridium(), metric).median();
        double other = stats(peer, metric).median();
        boolean lowerIsBetter = options.workload() == Workload.LATENCY;
        return lowerIsBetter ? other / iridium : iridium / other;
    }

    void print(PrintWriter out, Map<Contender, String> tlsSetting) {
        Workload workload = options.workload();
        out.printf(Locale.ROOT, "%n### %s: %s B × %s, %d run%s per system (median, min, max)%n%n",
                workload.label(), String.format(Locale.ROOT, "%,d", options.size()),
                String.format(Locale.ROOT, "%,d", options.count()), options.runs(),
                options.runs() == 1 ? "" : "s");
        if (workload == Workload.LATENCY) {
            out.println("| system | TLS | p50 µs | p99 µs | p99.9 µs | p50 min–max | p99 min–max | peer/Iridium p50 | peer/Iridium p99 | peak RSS MiB |");
            out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
            for (Contender contender : byContender.keySet()) {
                Stats p50 = stats(contender, "p50");
                Stats p99 = stats(contender, "p99");
                Stats p999 = stats(contender, "p999");
                out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f–%.1f | %.1f–%.1f | %s | %s | %s |%n",
                        contender.title(), tlsSetting.get(contender), p50.median(), p99.median(), p999.median(),
                        p50.min(), p50.max(), p99.min(), p99.max(),
                        isIridium(contender) ? "—" : String.format(Locale.ROOT, "%.2f", ratio(contender, "p50")),
                        isIridium(contender) ? "—" : String.format(Locale.ROOT, "%.2f", ratio(contender, "p99")),
                        rss(contender));
            }
        } else {
            out.printf(Locale.ROOT, "| system | TLS | %s median | min | max | delivered (worst run) | Iridium/peer | peak RSS MiB |%n", workload.unit());
            out.println("|---|---|---:|---:|---:|---:|---:|---|");
            for (Contender contender : byContender.keySet()) {
                Stats rate = stats(contender, "rate");
                String delivered = byContender.get(contender).get(0).metrics().containsKey("delivered")
                        ? String.format(Locale.ROOT, "%.2f%%", 100 * stats(contender, "delivered").min())
                        : "—";
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        contender.title(), tlsSetting.get(contender), number(rate.median()), number(rate.min()),
                        number(rate.max()), delivered,
                        isIridium(contender) ? "—" : String.format(Locale.ROOT, "%.2f", ratio(contender, "rate")),
                        rss(contender));
            }
        }
    }

    /** The closing lines: one per peer. */
    void printRatios(PrintWriter out) {
        for (Contender contender : byContender.keySet()) {
            if (!isIridium(contender)) {
                out.printf(Locale.ROOT, "ratio %s iridium/%s = %.2f%n",
                        options.workload().label(), contender.id(), ratio(contender, headline()));
            }
        }
    }

    private static boolean isIridium(Contender contender) {
        return contender == Contender.IRIDIUM || contender == Contender.IRIDIUM_PLAINTEXT;
    }

    /** Median peak RSS of each process role over the runs, e.g. {@code sub 180, pub 210}. */
    private String rss(Contender contender) {
        Map<String, List<Double>> byRole = new LinkedHashMap<>();
        for (RunResult run : byContender.get(contender)) {
            run.peakRssKb().forEach((role, kb) -> {
                if (kb > 0) {
                    byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(kb / 1024.0);
                }
            });
        }
        List<String> parts = new ArrayList<>();
        byRole.forEach((role, values) -> parts.add(String.format(Locale.ROOT, "%s %.0f", role, Stats.of(values).median())));
        return parts.isEmpty() ? "—" : String.join(", ", parts);
    }

    /** 1234567 → {@code 1,234,567}; figures under 100 keep one decimal. */
    static String number(double value) {
        return value < 100 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%,.0f", value);
    }
}
