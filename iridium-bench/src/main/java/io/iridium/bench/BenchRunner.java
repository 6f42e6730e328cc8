package io.iridium.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code iridium bench} command's engine: starts what the peers need, runs the workload
 * through the {@link Harness}, and prints the report (machine and versions, one table, and the
 * closing {@code ratio} lines). Returns the process exit code: 0 when every system ran,
 * {@value #PEER_FAILED} when a peer (or Iridium) could not be started or did not complete.
 * Options that cannot be honoured are refused earlier, by {@link BenchOptions}, with an
 * {@link IllegalArgumentException} naming the option.
 */
public final class BenchRunner {
    /** A peer (or Iridium) could not be started or did not complete. */
    public static final int PEER_FAILED = 3;

    private BenchRunner() {}

    /** Runs the benchmark; the report goes to {@code out}, progress and failures to {@code err}. */
    public static int run(BenchOptions options, PrintWriter out, PrintWriter err) {
        Path workDir = null;
        NatsServer nats = null;
        try {
            workDir = Files.createTempDirectory("iridium-bench-");
            if (options.contenders().contains(Contender.NATS)) {
                nats = options.natsUrl().isPresent()
                        ? NatsServer.attach(options.natsUrl().get(), options.natsPid(), options.natsServer())
                        : NatsServer.start(options.natsServer(), workDir);
            }
            out.println("## iridium bench " + options.workload().label());
            out.println();
            for (String line : MachineInfo.describe()) {
                out.println("- " + line);
            }
            for (String line : NatsServer.describe(nats)) {
                out.println("- " + line);
            }
            out.println("- TLS: Iridium " + switch (options.tls()) {
                        case ON -> "on (TLS 1.3, mutual authentication, its default)";
                        case OFF -> "off (the core's dev-mode plaintext connections)";
                        case BOTH -> "on (TLS 1.3, mutual authentication) and off (dev-mode plaintext), both rows";
                    } + "; NATS and ZeroMQ off (plain TCP on loopback)" + (options.workload() == Workload.TUNNEL
                    ? "; the tunnel baseline is a JDK TLS 1.3 socket with the same key" : ""));
            if (options.workload() == Workload.PUBSUB || options.workload() == Workload.FANOUT) {
                out.printf(java.util.Locale.ROOT, "- warm-up: before each run, the publisher sends at full speed for at least"
                        + " %.1f s and at least as many messages as the run measures%n", options.warmupMillis() / 1000.0);
            } else if (options.workload() == Workload.TUNNEL) {
                out.printf(java.util.Locale.ROOT, "- warm-up: before the runs, the client sends through each system for at least"
                        + " %.1f s and at least as many messages as a run measures%n", options.warmupMillis() / 1000.0);
            }
            out.flush();
            err.println("bench: " + options.workload().label() + ", " + options.contenders().size() + " systems × "
                    + options.runs() + " runs");
            List<RunResult> results = new Harness(options, workDir, nats, err).run();
            Report report = new Report(options, results);
            report.print(out, tlsSettings());
            if (nats != null && nats.peakRssKb() > 0) {
                out.printf(java.util.Locale.ROOT, "%nnats-server peak RSS (since it started): %.0f MiB%n",
                        nats.peakRssKb() / 1024.0);
            }
            out.println();
            report.printRatios(out);
            out.flush();
            return 0;
        } catch (BenchException e) {
            err.println("bench: " + e.getMessage());
            return PEER_FAILED;
        } catch (IOException e) {
            err.println("bench: " + e);
            return PEER_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench: interrupted");
            return PEER_FAILED;
        } finally {
            out.flush();
            err.flush();
            if (nats != null) {
                nats.close();
            }
            deleteQuietly(workDir);
        }
    }

    private static Map<Contender, String> tlsSettings() {
        Map<Contender, String> settings = new EnumMap<>(Contender.class);
        settings.put(Contender.IRIDIUM, "on");
        settings.put(Contender.IRIDIUM_PLAINTEXT, "off");
        settings.put(Contender.NATS, "off");
        settings.put(Contender.ZMQ, "off");
        settings.put(Contender.TLS, "on");
        return settings;
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /**
     * {@code java io.iridium.bench.BenchRunner WORKLOAD [VS [COUNT [RUNS]]]}: for use without the
     * CLI; omitted arguments take their defaults.
     */
    public static void main(String[] args) {
        Workload workload = Workload.parse(args.length > 0 ? args[0] : "pubsub");
        List<Contender> peers = BenchOptions.parsePeers(args.length > 1 ? args[1] : "all");
        BenchOptions defaults = BenchOptions.defaults(workload, peers);
        long count = args.length > 2 ? Long.parseLong(args[2]) : defaults.count();
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : defaults.runs();
        BenchOptions options = new BenchOptions(workload, peers, defaults.size(), count, runs, TlsMode.ON,
                java.util.Optional.empty(), java.util.Optional.empty(), 0);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(options, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
