package io.iridium.data.replication;

import io.iridium.data.ReplicaId;
import io.iridium.data.crdt.MvRegister;
import io.iridium.data.crdt.OrSet;
import io.iridium.data.demo.AdCounterScenario;
import io.iridium.env.Environment;
import io.iridium.testkit.sim.NetworkConditions;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The replicated-data benchmark behind BENCHMARKS.md: local update throughput per type,
 * convergence after a partition heals (5 and 50 simulated replicas), metadata bytes per key under
 * churn, and the ad-counter table. Not a test: run its {@code main} with the test classpath
 * (see {@code /tmp/bench-sections/data.md} for the command). Prints medians of repeated runs.
 */
public final class ReplicationBenchmark {

    private ReplicationBenchmark() {
    }

    public static void main(String[] args) {
        throughput();
        convergence(5);
        convergence(50);
        metadata();
        adCounter();
    }

    private static ReplicaCore standalone() {
        SplittableRandom random = new SplittableRandom(1);
        long[] clock = {1_700_000_000_000L};
        Environment environment = new Environment() {
            @Override
            public long nowMillis() {
                return clock[0]++;
            }

            @Override
            public RandomGenerator random() {
                return random;
            }
        };
        ReplicaTransport quiet = new ReplicaTransport() {
            @Override
            public void broadcast(ReplicaMessage.Deltas deltas) {
            }

            @Override
            public void send(ReplicaId to, ReplicaMessage message) {
            }
        };
        ReplicaCore core = ReplicaCore.builder(ReplicaId.of(1), environment, quiet).build();
        core.setPeers(List.of(ReplicaId.of(2)));
        return core;
    }

    private static void throughput() {
        System.out.println("local update throughput (ops/s, median of 5 x 200k, tick (delta flush) every 100 ops)");
        measure("pn-counter", (core, i) -> core.update("k", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 1), Consistency.LOCAL, 0));
        measure("or-set add/remove (64 elements)", (core, i) -> core.update("k", ReplicatedType.orSet(),
                (s, ctx) -> i % 2 == 0 ? s.add(ctx.replica(), "e" + (i % 64)) : s.remove("e" + ((i - 1) % 64)), Consistency.LOCAL, 0));
        measure("lww-register", (core, i) -> core.update("k", ReplicatedType.lwwRegister(),
                (r, ctx) -> r.set(ctx.replica(), ctx.timestampAfter(r.timestamp()), "v" + i), Consistency.LOCAL, 0));
        measure("mv-register", (core, i) -> core.update("k", ReplicatedType.mvRegister(), (r, ctx) -> r.write(ctx.replica(), "v" + i), Consistency.LOCAL, 0));
        measure("lww-map (64 keys)", (core, i) -> core.update("k", ReplicatedType.lwwMap(),
                (m, ctx) -> m.put(ctx.replica(), ctx.timestamp(), "k" + (i % 64), "v" + i), Consistency.LOCAL, 0));
    }

    private static void measure(String name, BiConsumer<ReplicaCore, Integer> op) {
        int ops = 200_000;
        double[] rates = new double[5];
        for (int run = -1; run < rates.length; run++) {
            ReplicaCore core = standalone();
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                op.accept(core, i);
                if (i % 100 == 99) {
                    core.tick();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run >= 0) {
                rates[run] = ops / seconds;
            }
        }
        Arrays.sort(rates);
        System.out.printf("  %-34s %,12.0f%n", name, rates[rates.length / 2]);
    }

    private static void convergence(int replicas) {
        List<Long> times = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = new Simulation(seed);
            sim.setTracing(false);
            ReplicaSimCluster cluster = new ReplicaSimCluster(sim, ReplicaConfig.defaults(), false);
            List<SimNode> nodes = cluster.addNodes(replicas);
            sim.setConditions(NetworkConditions.lan().withDrop(0.01));
            sim.partition(nodes.subList(0, replicas / 2), nodes.subList(replicas / 2, replicas));
            SplittableRandom choices = new SplittableRandom(seed);
            for (int i = 0; i < 500; i++) {
                SimNode node = nodes.get(choices.nextInt(replicas));
                String element = "e" + i;
                cluster.core(node).update("set" + (i % 10), ReplicatedType.orSet(), (s, ctx) -> s.add(ctx.replica(), element), Consistency.LOCAL, 0);
                cluster.core(node).update("counter", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 1), Consistency.LOCAL, 0);
                sim.runFor(10);
            }
            sim.runFor(2_000);
            sim.heal();
            long healed = sim.now();
            sim.runUntil(cluster::converged, 300_000, 50);
            times.add(sim.now() - healed);
        }
        times.sort(null);
        System.out.printf("convergence after heal, %d replicas (virtual ms, 50 ms check step, 5 seeds): median %d, all %s%n",
                replicas, times.get(times.size() / 2), times);
    }

    private static void metadata() {
        ReplicaId[] replicas = new ReplicaId[5];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = ReplicaId.of(i + 1);
        }
        SplittableRandom random = new SplittableRandom(7);
        OrSet<String> set = OrSet.empty();
        MvRegister<String> register = MvRegister.empty();
        for (int i = 0; i < 100_000; i++) {
            ReplicaId at = replicas[random.nextInt(replicas.length)];
            String element = "e" + random.nextInt(100);
            set = set.merge(random.nextInt(3) == 0 ? set.remove(element) : set.add(at, element));
            register = register.merge(register.write(at, "value-" + random.nextInt(1000)));
        }
        int setBytes = ReplicatedType.orSet().codec().encode(set).length;
        int payload = set.elements().stream().mapToInt(e -> e.length() + 1).sum();
        int registerBytes = ReplicatedType.mvRegister().codec().encode(register).length;
        int registerPayload = register.values().stream().mapToInt(v -> v.length() + 1).sum();
        System.out.printf("metadata after 100k ops by 5 replicas: or-set %d elements, %d bytes encoded, %d of them metadata"
                + " (%.1f per element); mv-register %d bytes, %d of them metadata%n",
                set.size(), setBytes, setBytes - payload, (setBytes - payload) / (double) Math.max(1, set.size()),
                registerBytes, registerBytes - registerPayload);
    }

    private static void adCounter() {
        System.out.println("ad counter (5 replicas, 30 s virtual, partition 2|3 10-20 s, skews 0/+800/-1200/+300/-500 ms)");
        System.out.println("  seed  impressions  crdt(all)  crdt-lost  lww  lww-lost  rmw  rmw-lost  rmw-refused  crdt-exact-after-ms");
        for (long seed = 1; seed <= 5; seed++) {
            AdCounterScenario.Result r = AdCounterScenario.run(AdCounterScenario.Settings.standard(seed));
            System.out.printf("  %4d  %11d  %9d  %9d  %5d  %8d  %5d  %8d  %11d  %d%n", seed, r.impressions(), r.crdtValues().get(0),
                    r.impressions() - r.crdtValues().get(0), r.lwwValue(), r.lwwLost(), r.rmwValue(), r.rmwLost(), r.rmwRefused(),
                    r.crdtConvergedMillis());
        }
    }
}
