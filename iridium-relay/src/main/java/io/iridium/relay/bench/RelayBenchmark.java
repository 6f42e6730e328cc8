package io.iridium.relay.bench;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.relay.client.IrisConnection;
import io.iridium.relay.client.IrisServiceHandler;
import io.iridium.relay.client.IrisTunnel;
import io.iridium.security.NetworkKey;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Iris's binding benchmarks through an Iridium node's relay with {@link IrisConnection}: publish
 * and broadcast throughput, request latency and throughput at 1, 16 and 128 concurrent callers,
 * and tunnel latency and throughput with 1-byte messages. As in Iris's own benchmarks, every
 * connection attaches to one relay (here: one node, a fresh private network key, loopback only).
 * Each figure is the median of {@code --runs} runs; the table puts it beside the reference relay's
 * figure and their ratio (for throughput higher is better, for latency lower).
 *
 * <pre>
 *   bin/bench-relay [--runs 5] [--messages 200000] [--seconds 3]
 * </pre>
 */
public final class RelayBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] SMALL = new byte[16];

    private final IrisConnection client;
    private final IrisConnection service;
    private final IrisConnection subscriber;
    private final int messages;
    private final Duration window;
    private volatile CountDownLatch received = new CountDownLatch(0);
    private final AtomicLong tunnelReceived = new AtomicLong();

    private RelayBenchmark(RelayServer relay, int messages, Duration window) throws InterruptedException {
        this.messages = messages;
        this.window = window;
        IrisServiceHandler handler = new IrisServiceHandler() {
            @Override
            public void handleBroadcast(byte[] message) {
                received.countDown();
            }

            @Override
            public byte[] handleRequest(byte[] request) {
                return request;
            }

            @Override
            public void handleTunnel(IrisTunnel tunnel) {
                serveTunnel(tunnel);
            }
        };
        service = IrisConnection.register(relay.address(), "bench", handler);
        client = IrisConnection.connect(relay.address());
        subscriber = IrisConnection.connect(relay.address());
        subscriber.subscribe("bench.events", event -> received.countDown());
        warmUp();
    }

    /** Echoes 'p' (ping) messages, counts the others. */
    private void serveTunnel(IrisTunnel tunnel) {
        try (tunnel) {
            byte[] message;
            while ((message = tunnel.receive(TIMEOUT)) != null) {
                if (message[0] == 'p') {
                    tunnel.send(message, TIMEOUT);
                } else if (tunnelReceived.incrementAndGet() % 1_000 == 0 || message[0] == 'e') {
                    synchronized (tunnelReceived) {
                        tunnelReceived.notifyAll();
                    }
                }
            }
        } catch (RuntimeException e) {
            // the benchmark closed the tunnel
        }
    }

    private void warmUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                client.request("bench", SMALL, Duration.ofSeconds(1));
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        publishThroughput();
        requests(16);
    }

    // ---- workloads ----

    double publishThroughput() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(messages);
        received = latch;
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            client.publish("bench.events", SMALL);
        }
        awaitOrReport(latch, "events");
        return rate(messages - latch.getCount(), start);
    }

    double broadcastThroughput() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(messages);
        received = latch;
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            client.broadcast("bench", SMALL);
        }
        awaitOrReport(latch, "broadcasts");
        return rate(messages - latch.getCount(), start);
    }

    /** Requests from {@code callers} concurrent callers for the window: {median µs, requests/s}. */
    double[] requests(int callers) throws InterruptedException {
        List<long[]> perCaller = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        AtomicLong done = new AtomicLong();
        for (int c = 0; c < callers; c++) {
            long[] samples = new long[1 << 16];
            perCaller.add(samples);
            int index = c;
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    client.request("bench", SMALL, TIMEOUT);
                    if (n < samples.length) {
                        samples[n++] = System.nanoTime() - t0;
                    }
                    done.incrementAndGet();
                }
                perCaller.set(index, Arrays.copyOf(samples, n));
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = perCaller.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new double[] {all[all.length / 2] / 1_000.0, done.get() / seconds};
    }

    /** Round trips of 1-byte messages through a tunnel to the echoing service: median µs. */
    double tunnelLatency(IrisTunnel tunnel) {
        int rounds = Math.max(1_000, messages / 20);
        long[] samples = new long[rounds];
        byte[] ping = {'p'};
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            tunnel.send(ping, TIMEOUT);
            tunnel.receive(TIMEOUT);
            samples[i] = System.nanoTime() - t0;
        }
        Arrays.sort(samples);
        return samples[rounds / 2] / 1_000.0;
    }

    /** 1-byte messages one way through a tunnel, until the service counted them all: messages/s. */
    double tunnelThroughput(IrisTunnel tunnel) throws InterruptedException {
        long before = tunnelReceived.get();
        long start = System.nanoTime();
        byte[] data = {'d'};
        for (int i = 0; i < messages - 1; i++) {
            tunnel.send(data, TIMEOUT);
        }
        tunnel.send(new byte[] {'e'}, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (tunnelReceived) {
            while (tunnelReceived.get() - before < messages && System.nanoTime() < deadline) {
                tunnelReceived.wait(10);
            }
        }
        return rate(tunnelReceived.get() - before, start);
    }

    private static void awaitOrReport(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            System.err.println("(" + latch.getCount() + " " + what + " not delivered within " + TIMEOUT.toSeconds() + " s)");
        }
    }

    private static double rate(long count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    private void close() {
        client.close();
        service.close();
        subscriber.close();
    }

    // ---- the run ----

    /** One figure: its name, Iris's reference value, whether higher is better, and the runs' values. */
    private record Figure(String name, String unit, double iris, boolean higherIsBetter, List<Double> values) {
        double median() {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        /** How many times better than Iris: throughput ratio, or Iris's latency over ours. */
        double advantage() {
            return higherIsBetter ? median() / iris : iris / median();
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = intOption(args, "--runs", 5);
        int messages = intOption(args, "--messages", 200_000);
        Duration window = Duration.ofSeconds(intOption(args, "--seconds", 3));
        // the I/O threads' polling budget, node's and relay's, for comparing with and without
        Duration ioSpin = Duration.ofNanos(1_000L * intOption(args, "--io-spin-micros", (int) (Config.DEFAULT_IO_SPIN.toNanos() / 1_000)));
        Path directory = Files.createTempDirectory("iridium-bench-relay");
        Path key = directory.resolve("bench.key");
        NetworkKey.generate("bench-relay").write(key, false);
        try (Node node = Iridium.start(Config.builder().keyFile(key).name("bench").bind(new Endpoint("127.0.0.1", 0))
                     .multicast(false).ioSpin(ioSpin).build());
             RelayServer relay = RelayServer.start(node, RelayConfig.builder().address("127.0.0.1", 0).ioSpin(ioSpin).build())) {
            RelayBenchmark bench = new RelayBenchmark(relay, messages, window);
            List<Figure> figures = List.of(
                    new Figure("publish throughput", "msgs/s", 190_000, true, new ArrayList<>()),
                    new Figure("broadcast throughput", "msgs/s", 190_000, true, new ArrayList<>()),
                    new Figure("request latency, 1 caller (median)", "µs", 175, false, new ArrayList<>()),
                    new Figure("request throughput, 1 caller", "req/s", Double.NaN, true, new ArrayList<>()),
                    new Figure("request latency, 16 callers (median)", "µs", Double.NaN, false, new ArrayList<>()),
                    new Figure("request throughput, 16 callers", "req/s", Double.NaN, true, new ArrayList<>()),
                    new Figure("request latency, 128 callers (median)", "µs", Double.NaN, false, new ArrayList<>()),
                    new Figure("request throughput, 128 callers", "req/s", 20_000, true, new ArrayList<>()),
                    new Figure("tunnel latency, 1-byte round trip (median)", "µs", Double.NaN, false, new ArrayList<>()),
                    new Figure("tunnel throughput, 1-byte messages", "msgs/s", 85_000, true, new ArrayList<>()));
            IrisTunnel tunnel = bench.client.tunnel("bench", TIMEOUT);
            for (int run = 1; run <= runs; run++) {
                figures.get(0).values().add(bench.publishThroughput());
                figures.get(1).values().add(bench.broadcastThroughput());
                int f = 2;
                for (int callers : new int[] {1, 16, 128}) {
                    double[] result = bench.requests(callers);
                    figures.get(f++).values().add(result[0]);
                    figures.get(f++).values().add(result[1]);
                }
                figures.get(8).values().add(bench.tunnelLatency(tunnel));
                figures.get(9).values().add(bench.tunnelThroughput(tunnel));
                System.err.println("run " + run + "/" + runs + " done");
            }
            tunnel.close();
            bench.close();
            print(System.out, figures, runs, messages, window);
        }
    }

    private static void print(PrintStream out, List<Figure> figures, int runs, int messages, Duration window) {
        out.printf(Locale.ROOT, "Relay benchmark: %d runs, %d messages per throughput run, %d s per request run, 16-byte payloads%n%n",
                runs, messages, window.toSeconds());
        out.println("| figure | Iridium relay (median) | runs | Iris reference relay | Iridium vs Iris |");
        out.println("|---|---:|---|---:|---:|");
        for (Figure figure : figures) {
            String values = figure.values().stream().map(v -> format(v)).reduce((a, b) -> a + ", " + b).orElse("");
            String iris = Double.isNaN(figure.iris()) ? "—" : format(figure.iris()) + " " + figure.unit();
            String ratio = Double.isNaN(figure.iris()) ? "—"
                    : String.format(Locale.ROOT, "%.2f× %s", figure.advantage(), figure.higherIsBetter() ? "the throughput" : "faster");
            out.printf(Locale.ROOT, "| %s | %s %s | %s | %s | %s |%n", figure.name(), format(figure.median()), figure.unit(), values, iris, ratio);
        }
    }

    private static String format(double value) {
        return value >= 1_000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

}
