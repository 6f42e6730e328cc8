package io.iridium.testkit.bench;

import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.membership.SwimConfig;
import io.iridium.testkit.sim.NetworkConditions;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import io.iridium.testkit.sim.TrafficStats;
import io.iridium.testkit.sim.membership.SwimCluster;
import io.iridium.testkit.sim.membership.SwimCluster.Observation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SWIM in the simulator at several network sizes and loss rates: how fast a crash is detected,
 * how often a running node is wrongly declared failed, and what membership costs on the wire.
 *
 * <p>For each size and loss rate: start the nodes (each joins through the first), wait until
 * they all agree and then a warm-up (120 s by default) for the join gossip to drain, switch the
 * loss on, measure a steady-state window with no faults (sealed
 * bytes sent per node per second, by message kind), then crash nodes one at a time, each
 * chosen at random, and time from the crash to the first and to the last running node
 * declaring it Failed. A Failed verdict about a running identity at any time after the loss
 * is switched on counts as a false detection; the rate is per node-hour of virtual time
 * observed. Percentiles are nearest-rank over the crashes of one configuration (with under
 * 100 samples, p99 is the maximum). Everything runs in virtual time from one seed, so a run
 * reproduces exactly.
 *
 * <p>Run: {@code bin/bench-membership} (or {@code java -cp ... io.iridium.testkit.bench.MembershipBenchmark
 * [--sizes 50,200,1000] [--loss 0,0.01,0.05] [--crashes 8] [--steady-seconds 300] [--seed 42]
 * [--large-steady-seconds 60] [--large-crashes 5] [--warmup-seconds 120]}; sizes of 500 and more use the
 * {@code --large-*} settings to keep the run short).
 */
public final class MembershipBenchmark {

    private record Settings(int[] sizes, double[] losses, int crashes, long steadyMillis, int largeCrashes,
                            long largeSteadyMillis, long warmupMillis, long seed) {}

    private record Result(int nodes, double loss, int crashes, long[] firstMillis, long[] lastMillis, int undetected,
                          long falseFailures, double nodeHours, double bytesPerNodeSecond,
                          Map<String, TrafficStats.Counter> byKind, long steadyMillis, long convergeMillis) {}

    private MembershipBenchmark() {}

    public static void main(String[] args) {
        Settings settings = parse(args);
        SwimConfig config = SwimConfig.lan();
        System.out.printf(Locale.ROOT, "SWIM membership, simulated (SwimConfig.lan(): period %d ms, probe timeout %d ms, k=%d, "
                        + "suspicion %.0f..%.0f x log10(n) periods, gossip every %d ms to %d, push-pull every %d s scaled), seed %d%n",
                config.protocolPeriodMillis(), config.probeTimeoutMillis(), config.indirectProbes(),
                config.suspicionMinMultiplier(), config.suspicionMaxMultiplier(), config.gossipIntervalMillis(),
                config.gossipFanout(), config.pushPullIntervalMillis() / 1000, settings.seed());
        List<Result> results = new ArrayList<>();
        for (int nodes : settings.sizes()) {
            for (double loss : settings.losses()) {
                long started = System.nanoTime();
                Result result = run(config, settings, nodes, loss);
                results.add(result);
                System.err.printf(Locale.ROOT, "  %d nodes, %.0f%% loss: done in %.1f s wall%n", nodes, loss * 100,
                        (System.nanoTime() - started) / 1e9);
            }
        }
        printTable(results);
    }

    private static Result run(SwimConfig config, Settings settings, int nodes, double loss) {
        boolean large = nodes >= 500;
        int crashes = large ? settings.largeCrashes() : settings.crashes();
        long steadyMillis = large ? settings.largeSteadyMillis() : settings.steadyMillis();
        long seed = settings.seed() * 31 + nodes * 1_000L + Math.round(loss * 1_000);
        Simulation sim = new Simulation(seed);
        sim.setTracing(false);
        SwimCluster cluster = new SwimCluster(sim, config, 100);
        cluster.setRecordObservations(false);
        cluster.addNodes(nodes, large ? 5 : 20);
        if (!sim.runUntil(cluster::converged, 600_000, 1_000)) {
            throw new IllegalStateException(nodes + " nodes did not converge: " + cluster.divergence());
        }
        long convergeMillis = sim.now();
        // Agreement comes before the join gossip has drained (each update is retransmitted
        // retransmitMultiplier × log10(n+1) times): let it drain before measuring steady state.
        sim.runFor(settings.warmupMillis());

        cluster.setRecordObservations(true);
        sim.setConditions(NetworkConditions.lan().withDrop(loss));
        long observedFrom = sim.now();
        sim.traffic().reset();
        sim.runFor(steadyMillis);
        TrafficStats traffic = sim.traffic();
        double bytesPerNodeSecond = traffic.bytesSent() / (double) nodes / (steadyMillis / 1000.0);
        Map<String, TrafficStats.Counter> byKind = traffic.byKind();

        SplittableRandom victims = new SplittableRandom(seed);
        long[] first = new long[crashes];
        long[] last = new long[crashes];
        int undetected = 0;
        int observed = cluster.observations().size();
        for (int c = 0; c < crashes; c++) {
            List<SimNode> running = cluster.runningNodes();
            SimNode victim = running.get(1 + victims.nextInt(running.size() - 1));
            NodeId victimId = victim.id();
            int observers = running.size() - 1;
            long crashedAt = sim.now();
            cluster.crash(victim);
            FailedCounter counter = new FailedCounter(cluster, victimId, observed);
            boolean detected = sim.runUntil(() -> counter.count() >= observers, 120_000, 100);
            if (!detected) {
                undetected++;
            }
            first[c] = counter.firstAt - crashedAt;
            last[c] = (detected ? counter.lastAt : sim.now()) - crashedAt;
            observed = cluster.observations().size();
            sim.runFor(10_000);
        }
        long falseFailures = cluster.falseFailures().stream().filter(o -> o.time() >= observedFrom).count();
        double nodeHours = nodes * (sim.now() - observedFrom) / 3_600_000.0;
        return new Result(nodes, loss, crashes, first, last, undetected, falseFailures, nodeHours, bytesPerNodeSecond,
                byKind, steadyMillis, convergeMillis);
    }

    /** Counts distinct observers' Failed verdicts about one identity, scanning new observations only. */
    private static final class FailedCounter {
        private final SwimCluster cluster;
        private final NodeId subject;
        private int cursor;
        private int count;
        long firstAt = -1;
        long lastAt = -1;

        FailedCounter(SwimCluster cluster, NodeId subject, int cursor) {
            this.cluster = cluster;
            this.subject = subject;
            this.cursor = cursor;
        }

        int count() {
            List<Observation> all = cluster.observations();
            for (; cursor < all.size(); cursor++) {
                Observation o = all.get(cursor);
                if (o.event() instanceof MembershipEvent.Failed && o.event().member().id().equals(subject)) {
                    count++;
                    if (firstAt < 0) {
                        firstAt = o.time();
                    }
                    lastAt = o.time();
                }
            }
            return count;
        }
    }

    private static void printTable(List<Result> results) {
        System.out.println();
        System.out.println("| nodes | loss | crashes | first Failed p50 / p99 | last Failed p50 / p99 | false Failed per node-hour "
                + "| membership bytes/node/s | probe+gossip | push-pull |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            double seconds = r.steadyMillis() / 1000.0;
            long pushPull = bytesOf(r.byKind(), "push-pull");
            double pushPullRate = pushPull / (double) r.nodes() / seconds;
            String undetected = r.undetected() > 0 ? " (" + r.undetected() + " not by all in 120 s)" : "";
            System.out.printf(Locale.ROOT, "| %d | %.0f%% | %d%s | %.1f s / %.1f s | %.1f s / %.1f s | %.3f (%d in %.1f node-h) "
                            + "| %.0f | %.0f | %.0f |%n",
                    r.nodes(), r.loss() * 100, r.crashes(), undetected,
                    percentile(r.firstMillis(), 50) / 1000.0, percentile(r.firstMillis(), 99) / 1000.0,
                    percentile(r.lastMillis(), 50) / 1000.0, percentile(r.lastMillis(), 99) / 1000.0,
                    r.falseFailures() / r.nodeHours(), r.falseFailures(), r.nodeHours(),
                    r.bytesPerNodeSecond(), r.bytesPerNodeSecond() - pushPullRate, pushPullRate);
        }
        System.out.println();
        System.out.println("Steady-state traffic by message kind (datagrams and sealed bytes per node per second):");
        for (Result r : results) {
            double perNodeSecond = r.nodes() * (r.steadyMillis() / 1000.0);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %4d nodes %2.0f%% loss:", r.nodes(), r.loss() * 100));
            r.byKind().forEach((kind, c) -> line.append(String.format(Locale.ROOT, "  %s %.2f/%.0fB",
                    kind, c.datagrams() / perNodeSecond, c.bytes() / perNodeSecond)));
            System.out.println(line);
        }
    }

    private static long bytesOf(Map<String, TrafficStats.Counter> byKind, String kind) {
        TrafficStats.Counter counter = byKind.get(kind);
        return counter == null ? 0 : counter.bytes();
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] samples, double p) {
        if (samples.length == 0) {
            return 0;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static Settings parse(String[] args) {
        int[] sizes = {50, 200, 1000};
        double[] losses = {0, 0.01, 0.05};
        int crashes = 8;
        long steady = 300_000;
        int largeCrashes = 5;
        long largeSteady = 60_000;
        long warmup = 120_000;
        long seed = Long.getLong("iridium.seed", 42);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(require(value, args[i]).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--loss" -> losses = Arrays.stream(require(value, args[i]).split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--crashes" -> crashes = Integer.parseInt(require(value, args[i]));
                case "--steady-seconds" -> steady = Long.parseLong(require(value, args[i])) * 1000;
                case "--large-crashes" -> largeCrashes = Integer.parseInt(require(value, args[i]));
                case "--large-steady-seconds" -> largeSteady = Long.parseLong(require(value, args[i])) * 1000;
                case "--warmup-seconds" -> warmup = Long.parseLong(require(value, args[i])) * 1000;
                case "--seed" -> seed = Long.parseLong(require(value, args[i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --sizes --loss --crashes --steady-seconds --large-crashes --large-steady-seconds --warmup-seconds --seed)");
            }
            i++;
        }
        return new Settings(sizes, losses, crashes, steady, largeCrashes, largeSteady, warmup, seed);
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
