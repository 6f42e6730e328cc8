package io.iridium.consensus.bench;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.iridium.consensus.group.GroupClient;
import io.iridium.consensus.group.GroupOptions;
import io.iridium.consensus.group.RaftGroup;
import io.iridium.consensus.machine.Command;
import io.iridium.consensus.raft.Role;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Put latency and throughput of a three-member Iridium Raft group beside a three-member etcd
 * cluster, on one machine, in one run. Both fsync every write before acknowledging it (etcd by
 * default; Iridium's {@code DiskStorage} always).
 *
 * <ul>
 *   <li>sequential: one client puts {@code --count} values one after another; p50 and p99 latency;</li>
 *   <li>concurrent: {@code --clients} clients put {@code --count} values in all, as fast as each
 *       gets its answer; throughput.</li>
 * </ul>
 *
 * <p>etcd is driven through its v3 JSON gateway ({@code POST /v3/kv/put}) with the JDK's
 * {@link HttpClient}, requests spread round-robin over the three members (a follower forwards to
 * the leader). Iridium's members are three nodes in this JVM, and the clients use a fourth node
 * that is not a member (requests go to any member; followers forward to the leader). Values are
 * random bytes of {@code --size}; keys {@code bench/N}.
 *
 * <p>Run with {@code bin/bench-etcd [--size BYTES] [--count N] [--clients N] [--runs N]}, which
 * starts etcd (bin/lib/etcd.sh) and passes {@code --etcd URL,URL,URL}.
 */
public final class EtcdComparison {

    private EtcdComparison() {
    }

    /** A system under test: one put from one client. */
    interface Putter {
        void put(String key, byte[] value) throws Exception;
    }

    /** Makes one putter per client. */
    interface Target {
        Putter client() throws Exception;
    }

    record Figures(double p50Millis, double p99Millis, double putsPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        int size = 256;
        int count = 2000;
        int clients = 32;
        int runs = 3;
        List<String> etcd = List.of();
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(value);
                case "--count" -> count = Integer.parseInt(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--etcd" -> etcd = Arrays.asList(value.split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (etcd.isEmpty()) {
            throw new IllegalArgumentException("give --etcd http://127.0.0.1:PORT,... (bin/bench-etcd does)");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        byte[] value = new byte[size];
        new java.util.Random(1).nextBytes(value);

        Path dir = Files.createTempDirectory("iridium-bench-raft");
        List<Node> nodes = new ArrayList<>();
        List<RaftGroup> groups = new ArrayList<>();
        List<String> members = List.of("bench-1", "bench-2", "bench-3");
        try {
            for (String name : members) {
                nodes.add(startNode(name, nodes));
            }
            Node clientNode = startNode("bench-client", nodes);
            for (int i = 0; i < 3; i++) {
                groups.add(RaftGroup.start(nodes.get(i), GroupOptions.of("bench", members, dir.resolve(members.get(i)))));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (groups.stream().noneMatch(g -> g.status().role() == Role.LEADER) || clientNode.servers("bench").size() < 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Iridium group elected no leader in 30 s");
                }
                Thread.sleep(20);
            }
            Target iridium = () -> {
                GroupClient client = new GroupClient(clientNode, "bench", Duration.ofSeconds(30));
                return (k, v) -> client.execute(new Command.Put(k, v));
            };
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> endpoints = etcd;
            AtomicInteger next = new AtomicInteger();
            Target etcdTarget = () -> {
                String endpoint = endpoints.get(next.getAndIncrement() % endpoints.size());
                URI uri = URI.create(endpoint + "/v3/kv/put");
                return (k, v) -> {
                    Base64.Encoder b64 = Base64.getEncoder();
                    String body = "{\"key\":\"" + b64.encodeToString(k.getBytes()) + "\",\"value\":\"" + b64.encodeToString(v)
                            + "\"}";
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("etcd answered " + r.statusCode() + ": " + r.body());
                    }
                };
            };
            System.out.printf(Locale.ROOT, "consensus put benchmark: %d-byte values, %d sequential puts, %d puts by %d"
                    + " concurrent clients, %d runs each (medians shown)%n", size, count, count, clients, runs);
            measure("warm-up iridium", iridium, value, Math.min(count, 200), clients, 1, false);
            measure("warm-up etcd", etcdTarget, value, Math.min(count, 200), clients, 1, false);
            Figures ir = measure("iridium", iridium, value, count, clients, runs, true);
            Figures et = measure("etcd", etcdTarget, value, count, clients, runs, true);
            System.out.printf(Locale.ROOT, "%n%-34s %12s %12s %10s%n", "", "Iridium", "etcd", "ratio");
            row("sequential put p50 (ms)", ir.p50Millis(), et.p50Millis(), et.p50Millis() / ir.p50Millis());
            row("sequential put p99 (ms)", ir.p99Millis(), et.p99Millis(), et.p99Millis() / ir.p99Millis());
            row("concurrent puts/s (" + clients + " clients)", ir.putsPerSecond(), et.putsPerSecond(),
                    ir.putsPerSecond() / et.putsPerSecond());
            System.out.println("(ratio > 1: Iridium is better — lower latency or higher throughput)");
        } finally {
            groups.forEach(RaftGroup::close);
            nodes.forEach(Node::close);
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void row(String label, double iridium, double etcd, double ratio) {
        System.out.printf(Locale.ROOT, "%-34s %12.2f %12.2f %9.2fx%n", label, iridium, etcd, ratio);
    }

    private static Node startNode(String name, List<Node> seeds) {
        List<Endpoint> join = seeds.stream().map(Node::address).toList();
        return Iridium.start(Config.builder().dev(true).name(name).seeds(join).multicast(false).build());
    }

    private static Figures measure(String label, Target target, byte[] value, int count, int clients, int runs,
                                   boolean print) throws Exception {
        double[] p50 = new double[runs];
        double[] p99 = new double[runs];
        double[] rate = new double[runs];
        for (int run = 0; run < runs; run++) {
            Putter one = target.client();
            long[] latencies = new long[count];
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                one.put("bench/seq/" + i, value);
                latencies[i] = System.nanoTime() - t0;
            }
            Arrays.sort(latencies);
            p50[run] = latencies[count / 2] / 1e6;
            p99[run] = latencies[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)] / 1e6;

            AtomicInteger issued = new AtomicInteger();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    Putter putter = target.client();
                    futures.add(pool.submit(() -> {
                        int i;
                        while ((i = issued.getAndIncrement()) < count) {
                            putter.put("bench/par/" + i, value);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            rate[run] = count / ((System.nanoTime() - start) / 1e9);
            if (print) {
                System.out.printf(Locale.ROOT, "  %-8s run %d: p50 %.2f ms, p99 %.2f ms, %.0f puts/s%n", label, run + 1,
                        p50[run], p99[run], rate[run]);
            }
        }
        return new Figures(median(p50), median(p99), median(rate));
    }

    private static double median(double[] xs) {
        double[] copy = xs.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
