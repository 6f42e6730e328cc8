package io.iridium.bench;

import io.iridium.security.NetworkKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one workload against every system of a {@link BenchOptions}, {@code runs} times each,
 * interleaving the systems run by run so that a noisy moment of the machine does not land on one
 * system only. Every run starts fresh processes (one per side), except the tunnel workload, which
 * by design keeps one pair of JVMs and alternates Iridium and the raw TLS socket inside it.
 *
 * <p>The Iridium processes share a network key generated for the benchmark (never the well-known
 * development key, so that no other node on the machine joins), bind to 127.0.0.1 on free ports
 * and find each other through explicit seeds.
 */
final class Harness {
    private static final long START_TIMEOUT_S = 90;
    private static final long MEASURE_TIMEOUT_S = 600;

    private final BenchOptions options;
    private final Path workDir;
    private final Path keyFile;
    private final NatsServer nats;
    private final PrintWriter progress;

    Harness(BenchOptions options, Path workDir, NatsServer nats, PrintWriter progress) throws IOException {
        this.options = options;
        this.workDir = workDir;
        this.nats = nats;
        this.progress = progress;
        this.keyFile = workDir.resolve("bench.key");
        NetworkKey.generate("bench").write(keyFile);
    }

    /** Every run of every system, in the order they ran. */
    List<RunResult> run() throws IOException, InterruptedException {
        if (options.workload() == Workload.TUNNEL) {
            return tunnel();
        }
        List<RunResult> results = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            for (Contender contender : options.contenders()) {
                progress.printf(Locale.ROOT, "  run %d/%d  %-8s ...", run, options.runs(), contender.id());
                progress.flush();
                RunResult result = switch (options.workload()) {
                    case PUBSUB -> pubsub(contender, 1);
                    case FANOUT -> pubsub(contender, Workload.FANOUT_SUBSCRIBERS);
                    case LATENCY, REQUESTS -> requestReply(contender);
                    case TUNNEL -> throw new IllegalStateException("unreachable");
                };
                progress.println(" " + Report.brief(options.workload(), result));
                progress.flush();
                results.add(result);
            }
        }
        return results;
    }

    private RunResult pubsub(Contender contender, int subscriberCount) throws IOException, InterruptedException {
        List<WorkerProcess> processes = new ArrayList<>();
        try {
            List<WorkerProcess> subscribers = new ArrayList<>();
            List<String> endpoints = new ArrayList<>();
            // at full speed, the same for each system: at least as many messages as the run and at
            // least options.warmupMillis(). A quarter of the count, paced, ended while Iridium's
            // paths were still being compiled (2,000,000 16 B messages measured 1.4-1.6 M msgs/s
            // where 8,000,000 measured 2.0-2.1 M); so did the count alone, at 2,000,000 (C2 still
            // compiling the subscriber's paths in the measured run)
            long warmup = Math.min(2_000_000, Math.max(100, options.count()));
            for (int i = 0; i < subscriberCount; i++) {
                WorkerProcess subscriber = start(contender, "subscriber", subscriberCount == 1 ? "sub" : "sub" + (i + 1),
                        List.of(), List.of("count=" + options.count(), "size=" + options.size(), "warmup=" + warmup,
                                "warmupMillis=" + options.warmupMillis()));
                processes.add(subscriber);
                subscribers.add(subscriber);
            }
            for (WorkerProcess subscriber : subscribers) {
                endpoints.add(subscriber.await("READY", START_TIMEOUT_S));
            }
            WorkerProcess publisher = start(contender, "publisher", "pub", endpoints,
                    List.of("count=" + options.count(), "size=" + options.size()));
            processes.add(publisher);
            publisher.await("READY", START_TIMEOUT_S);
            for (WorkerProcess subscriber : subscribers) {
                subscriber.await("WARM", START_TIMEOUT_S);
            }
            publisher.send("GO");
            publisher.await("PAUSED", MEASURE_TIMEOUT_S);
            for (WorkerProcess subscriber : subscribers) {
                subscriber.send("DRAIN");
            }
            for (WorkerProcess subscriber : subscribers) {
                subscriber.await("DRAINED", MEASURE_TIMEOUT_S);
            }
            publisher.send("MEASURE");
            long start = Long.parseLong(publisher.await("START", MEASURE_TIMEOUT_S));
            publisher.await("DONE", MEASURE_TIMEOUT_S);
            String view = contender == Contender.IRIDIUM || contender == Contender.IRIDIUM_PLAINTEXT
                    ? publisher.await("VIEW", 10) : "";
            long delivered = 0;
            long last = start;
            for (WorkerProcess subscriber : subscribers) {
                String[] end = subscriber.await("END", MEASURE_TIMEOUT_S).split(" ");
                long received = Long.parseLong(end[0]);
                delivered += received;
                if (received > 0) {
                    last = Math.max(last, Long.parseLong(end[1]));
                }
            }
            if (delivered < options.count() * subscriberCount && !view.isEmpty()) {
                progress.print(" [publisher's view after sending: " + view + "]");
            }
            double seconds = (last - start) / 1e9;
            Map<String, Double> metrics = new HashMap<>();
            metrics.put("rate", seconds > 0 ? delivered / seconds : 0);
            metrics.put("delivered", (double) delivered / (options.count() * subscriberCount));
            return new RunResult(contender, metrics, stopAll(processes));
        } finally {
            processes.forEach(WorkerProcess::close);
        }
    }

    private RunResult requestReply(Contender contender) throws IOException, InterruptedException {
        List<WorkerProcess> processes = new ArrayList<>();
        try {
            WorkerProcess server = start(contender, "server", "server", List.of(), List.of());
            processes.add(server);
            String endpoint = server.await("READY", START_TIMEOUT_S);
            boolean latency = options.workload() == Workload.LATENCY;
            // every contender runs on a JVM: warm up until the request path is compiled (C2 needs
            // some seconds on two shared cores), the same count for each system, and as long as
            // the measured run (at most 1,000,000), as pub/sub does
            long warmup = Math.min(1_000_000, Math.max(100, options.count()));
            List<String> extra = new ArrayList<>(List.of(
                    "count=" + options.count(), "size=" + options.size(), "warmup=" + warmup));
            if (!latency) {
                extra.add("outstanding=" + Workload.OUTSTANDING);
            }
            WorkerProcess client = start(contender, latency ? "latency" : "requests", "client", List.of(endpoint), extra);
            processes.add(client);
            client.await("READY", START_TIMEOUT_S);
            client.send("GO");
            Map<String, Double> metrics = parseMetrics(client.await("RESULT", MEASURE_TIMEOUT_S));
            return new RunResult(contender, metrics, stopAll(processes));
        } finally {
            processes.forEach(WorkerProcess::close);
        }
    }

    private List<RunResult> tunnel() throws IOException, InterruptedException {
        List<WorkerProcess> processes = new ArrayList<>();
        List<RunResult> results = new ArrayList<>();
        try {
            String sizing = "size=" + options.size();
            WorkerProcess server = startWorker("server", "tunnel", "server",
                    List.of("key=" + keyFile, "port=" + FreePorts.tcpAndUdp(), sizing, "count=" + options.count()));
            processes.add(server);
            String[] ready = server.await("READY", START_TIMEOUT_S).split(" ");
            WorkerProcess client = startWorker("client", "tunnel", "client",
                    List.of("key=" + keyFile, "port=" + FreePorts.tcpAndUdp(), "peers=" + ready[0], "tlsport=" + ready[1],
                            sizing, "count=" + options.count(), "warmupMillis=" + options.warmupMillis()));
            processes.add(client);
            client.await("READY", START_TIMEOUT_S);
            for (int run = 1; run <= options.runs(); run++) {
                for (Contender contender : options.contenders()) {
                    progress.printf(Locale.ROOT, "  run %d/%d  %-8s ...", run, options.runs(), contender.id());
                    progress.flush();
                    client.send("RUN " + contender.id());
                    RunResult result = new RunResult(contender, parseMetrics(client.await("RESULT", MEASURE_TIMEOUT_S)), Map.of());
                    progress.println(" " + Report.brief(options.workload(), result));
                progress.flush();
                    results.add(result);
                }
            }
            Map<String, Long> rss = stopAll(processes);
            List<RunResult> withRss = new ArrayList<>();
            for (RunResult result : results) {
                withRss.add(new RunResult(result.contender(), result.metrics(), rss));
            }
            return withRss;
        } finally {
            processes.forEach(WorkerProcess::close);
        }
    }

    private WorkerProcess start(Contender contender, String role, String label, List<String> peers, List<String> extra)
            throws IOException {
        List<String> args = new ArrayList<>(extra);
        switch (contender) {
            case IRIDIUM, IRIDIUM_PLAINTEXT -> {
                args.add(contender == Contender.IRIDIUM ? "key=" + keyFile : "plaintext=true");
                args.add("port=" + FreePorts.tcpAndUdp());
                args.add("peers=" + String.join(",", peers));
            }
            case NATS -> args.add("url=" + nats.url());
            case ZMQ -> args.add("peers=" + String.join(",", peers));
            case TLS -> throw new IllegalArgumentException("the TLS baseline runs only in the tunnel workload");
        }
        String system = contender == Contender.IRIDIUM_PLAINTEXT ? Contender.IRIDIUM.id() : contender.id();
        return startWorker(label, system, role, args);
    }

    private WorkerProcess startWorker(String label, String system, String role, List<String> args) throws IOException {
        return WorkerProcess.start(label, system, role, args, workDir);
    }

    private static Map<String, Long> stopAll(List<WorkerProcess> processes) throws InterruptedException {
        Map<String, Long> rss = new LinkedHashMap<>();
        for (WorkerProcess process : processes) {
            rss.put(process.label(), process.stop());
        }
        return rss;
    }

    /** {@code "a=1.5 b=2"} as a map. */
    static Map<String, Double> parseMetrics(String text) {
        Map<String, Double> metrics = new HashMap<>();
        for (String pair : text.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new BenchException("malformed worker result: " + text);
            }
            metrics.put(pair.substring(0, equals), Double.parseDouble(pair.substring(equals + 1)));
        }
        return metrics;
    }
}
