package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.crdt.OrSet;
import io.iridium.testkit.sim.NetworkConditions;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import io.iridium.testkit.sim.junit.SimSeed;
import io.iridium.testkit.sim.junit.SimSeedExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replicator core in the simulator, over a network that loses, duplicates and reorders
 * datagrams, with partitions, crashes and restarts and skewed clocks: every running replica
 * converges on the same state for every key after the network heals, and no write acknowledged
 * at MAJORITY or ALL is lost while a majority of the replicas keeps its state (or, with durable
 * storage, whatever crashes). Each test takes its seed from {@code -Diridium.seed} (or a fresh
 * one) and prints it when it fails.
 */
@ExtendWith(SimSeedExtension.class)
class ReplicaSimulationTest {

    private static final NetworkConditions LOSSY = NetworkConditions.lan().withDrop(0.10)
            .withDuplicationAndReordering(0.05, 0.10, 80);
    private static final ReplicaConfig CONFIG = ReplicaConfig.defaults().withAntiEntropyEveryTicks(10);
    private static final long[] SKEWS = {0, 1_500, -2_000, 40, -700};

    @Test
    void randomUpdatesOfEveryType_lossPartitionCrashes_allReplicasConvergeAfterHeal(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = cluster.addNodes(5, SKEWS);
        sim.setConditions(LOSSY);
        SplittableRandom choices = new SplittableRandom(seed.value());
        RandomUpdates updates = new RandomUpdates(choices);

        for (int step = 0; step < 300; step++) {
            if (step == 80) {
                sim.partition(nodes.subList(0, 2), nodes.subList(2, 5));
            }
            if (step == 120 || step == 200) {
                cluster.crash(nodes.get(choices.nextInt(nodes.size())));
            }
            if (step == 160 || step == 240) {
                for (SimNode node : nodes) {
                    if (!node.isUp()) {
                        cluster.restart(node);
                    }
                }
            }
            if (step == 220) {
                sim.heal();
            }
            List<SimNode> running = cluster.running();
            SimNode actor = running.get(choices.nextInt(running.size()));
            updates.apply(cluster.core(actor));
            sim.runFor(choices.nextLong(5, 60));
        }
        sim.heal();
        boolean converged = sim.runUntil(cluster::converged, 120_000, 100);
        assertThat(converged).as("converged after heal: %s", cluster.describe()).isTrue();
        assertThat(cluster.core(nodes.get(0)).keys()).hasSizeGreaterThan(3);
        for (SimNode node : cluster.running()) {
            assertThat(cluster.core(node).stats().dropped()).isZero();
        }
    }

    @Test
    void majorityAndAllWrites_minorityLosesItsState_noAcknowledgedWriteLost(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = cluster.addNodes(5, SKEWS);
        List<SimNode> crashProne = nodes.subList(3, 5); // a minority: n0..n2 always keep their state
        sim.setConditions(LOSSY);
        Set<String> acknowledged = runAcknowledgedWrites(cluster, seed, crashProne);

        sim.heal();
        for (SimNode node : nodes) {
            if (!node.isUp()) {
                cluster.restart(node);
            }
        }
        assertThat(sim.runUntil(cluster::converged, 120_000, 100)).as("converged: %s", cluster.describe()).isTrue();
        assertThat(acknowledged).as("some writes were acknowledged").hasSizeGreaterThan(10);
        for (SimNode node : cluster.running()) {
            OrSet<String> set = cluster.core(node).value("acked", ReplicatedType.orSet());
            assertThat(set.elements()).as("%s holds every acknowledged write", node).containsAll(acknowledged);
        }
    }

    @Test
    void durableReplicas_everyNodeCrashesAndRestarts_noAcknowledgedWriteLost(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, true);
        List<SimNode> nodes = cluster.addNodes(5, SKEWS);
        sim.setConditions(LOSSY);
        Set<String> acknowledged = runAcknowledgedWrites(cluster, seed, nodes);

        // Then everyone crashes at once and comes back from its disk.
        for (SimNode node : nodes) {
            if (node.isUp()) {
                cluster.crash(node);
            }
        }
        sim.heal();
        for (SimNode node : nodes) {
            cluster.restart(node);
        }
        assertThat(sim.runUntil(cluster::converged, 120_000, 100)).as("converged: %s", cluster.describe()).isTrue();
        assertThat(acknowledged).hasSizeGreaterThan(10);
        for (SimNode node : cluster.running()) {
            OrSet<String> set = cluster.core(node).value("acked", ReplicatedType.orSet());
            assertThat(set.elements()).as("%s holds every acknowledged write", node).containsAll(acknowledged);
        }
    }

    @Test
    void counter_partitionedHalvesKeepCounting_exactTotalAfterHeal(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = cluster.addNodes(5, SKEWS);
        sim.setConditions(LOSSY);
        SplittableRandom choices = new SplittableRandom(seed.value());
        long total = 0;
        for (int step = 0; step < 400; step++) {
            if (step == 100) {
                sim.partition(nodes.subList(0, 2), nodes.subList(2, 5));
            }
            if (step == 300) {
                sim.heal();
            }
            long amount = choices.nextLong(1, 10);
            cluster.core(nodes.get(choices.nextInt(5)))
                    .update("impressions", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), amount),
                            Consistency.LOCAL, 1_000);
            total += amount;
            sim.runFor(choices.nextLong(1, 20));
        }
        assertThat(sim.runUntil(cluster::converged, 60_000, 100)).isTrue();
        for (SimNode node : nodes) {
            assertThat(cluster.core(node).value("impressions", ReplicatedType.counter()).value()).isEqualTo(total);
        }
    }

    @Test
    void partition_viewsSplit_majorityWritesFailOnTheMinoritySide_succeedOnTheMajoritySide(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = cluster.addNodes(5, SKEWS);
        sim.setConditions(LOSSY);
        sim.runFor(1_000);
        cluster.partition(nodes.subList(0, 2), nodes.subList(2, 5));
        ReplicaCore minority = cluster.core(nodes.get(0));
        ReplicaCore majority = cluster.core(nodes.get(2));
        assertThat(minority.peers()).as("the minority's view shrank to its own side").hasSize(1);
        assertThat(minority.replicaCount()).as("but it still counts the whole set").isEqualTo(5);

        List<CompletableFuture<?>> minorityWrites = new ArrayList<>();
        List<CompletableFuture<?>> majorityWrites = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String element = "w" + i;
            minorityWrites.add(minority.update("acked", ReplicatedType.orSet(),
                    (set, ctx) -> set.add(ctx.replica(), "minority-" + element), Consistency.MAJORITY, 1_500));
            majorityWrites.add(majority.update("acked", ReplicatedType.orSet(),
                    (set, ctx) -> set.add(ctx.replica(), "majority-" + element), Consistency.MAJORITY, 1_500));
            sim.runFor(100);
        }
        CompletableFuture<?> minorityRead = minority.read("acked", ReplicatedType.orSet(), Consistency.MAJORITY, 1_500);
        sim.runFor(3_000);

        for (CompletableFuture<?> write : minorityWrites) {
            assertThat(write).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ConsistencyNotReachedException.class);
        }
        assertThat(minorityRead).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConsistencyNotReachedException.class);
        for (CompletableFuture<?> write : majorityWrites) {
            assertThat(write).succeedsWithin(Duration.ZERO);
        }

        cluster.heal();
        assertThat(sim.runUntil(cluster::converged, 60_000, 100)).as("converged: %s", cluster.describe()).isTrue();
        assertThat(minority.value("acked", ReplicatedType.orSet()).elements()).hasSize(10);
    }

    @Test
    void durableReplicaLeavesCleanly_andRestartsOnItsDataDirectory_itsCountIsNotAddedTwice(SimSeed seed) {
        long grace = 3_000;
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG.withForgetRetiredAfterMillis(grace), true);
        List<SimNode> nodes = cluster.addNodes(3, SKEWS);
        sim.setConditions(LOSSY);
        cluster.core(nodes.get(0)).update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 3),
                Consistency.LOCAL, 1_000);
        cluster.core(nodes.get(2)).update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 7),
                Consistency.LOCAL, 1_000);
        assertThat(sim.runUntil(cluster::converged, 30_000, 100)).isTrue();

        SimNode leaver = nodes.get(2);
        assertThat(cluster.leave(leaver, 5_000)).as("an heir confirmed the hand-off").isTrue();
        sim.runFor(3 * grace); // the survivors forget the leaver's tombstone
        for (SimNode node : cluster.running()) {
            assertThat(cluster.core(node).value("hits", ReplicatedType.counter()).increments().retired())
                    .as("tombstone forgotten at %s", node).isEmpty();
        }

        cluster.restart(leaver); // the same process comes back on the same data directory
        assertThat(sim.runUntil(cluster::converged, 30_000, 100)).as("converged: %s", cluster.describe()).isTrue();
        sim.runFor(3 * grace);
        assertThat(sim.runUntil(cluster::converged, 30_000, 100)).isTrue();
        for (SimNode node : cluster.running()) {
            assertThat(cluster.core(node).value("hits", ReplicatedType.counter()).value())
                    .as("%s counts the leaver's 7 once", node).isEqualTo(10);
        }
    }

    @Test
    void determinism_sameSeed_sameTraceAndStates(SimSeed seed) {
        assertThat(tracedRun(seed)).isEqualTo(tracedRun(seed));
    }

    private static List<String> tracedRun(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        sim.setTraceMessages(true);
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = cluster.addNodes(4, SKEWS);
        sim.setConditions(LOSSY);
        SplittableRandom choices = new SplittableRandom(seed.value());
        RandomUpdates updates = new RandomUpdates(choices);
        for (int step = 0; step < 40; step++) {
            updates.apply(cluster.core(nodes.get(choices.nextInt(nodes.size()))));
            sim.runFor(50);
        }
        sim.runFor(5_000);
        List<String> lines = new ArrayList<>(sim.trace().lines());
        for (SimNode node : nodes) {
            lines.add(node + " " + cluster.core(node).digest());
        }
        return lines;
    }

    /**
     * Adds a unique element per write to the OR-Set "acked", at MAJORITY or ALL, from random
     * running replicas, under partitions and crashes of {@code crashable} nodes; returns the
     * elements whose writes were acknowledged.
     */
    private static Set<String> runAcknowledgedWrites(ReplicaSimCluster cluster, SimSeed seed, List<SimNode> crashable) {
        Simulation sim = cluster.simulation();
        List<SimNode> nodes = cluster.nodes();
        SplittableRandom choices = new SplittableRandom(seed.value() ^ 0x5eed);
        Set<String> acknowledged = new HashSet<>();
        for (int step = 0; step < 250; step++) {
            int action = choices.nextInt(20);
            if (action == 0) {
                SimNode victim = crashable.get(choices.nextInt(crashable.size()));
                if (victim.isUp() && cluster.running().size() > 1) {
                    cluster.crash(victim);
                }
            } else if (action == 1) {
                for (SimNode node : crashable) {
                    if (!node.isUp()) {
                        cluster.restart(node);
                    }
                }
            } else if (action == 2 && !sim.isPartitioned()) {
                List<SimNode> shuffled = new ArrayList<>(nodes);
                java.util.Collections.shuffle(shuffled, new java.util.Random(choices.nextLong()));
                int cut = choices.nextInt(1, nodes.size());
                sim.partition(shuffled.subList(0, cut), shuffled.subList(cut, shuffled.size()));
            } else if (action == 3) {
                sim.heal();
            }
            List<SimNode> running = cluster.running();
            SimNode writer = running.get(choices.nextInt(running.size()));
            String element = "w" + step;
            Consistency level = choices.nextInt(3) == 0 ? Consistency.ALL : Consistency.MAJORITY;
            cluster.core(writer)
                    .update("acked", ReplicatedType.orSet(), (set, ctx) -> set.add(ctx.replica(), element), level, 1_500)
                    .whenComplete((state, failure) -> {
                        if (failure == null) {
                            acknowledged.add(element);
                        }
                    });
            sim.runFor(choices.nextLong(10, 120));
        }
        sim.runFor(2_000); // let the last writes finish or time out
        return acknowledged;
    }

    /** Random updates of every built-in type, made at whichever replica is given. */
    static final class RandomUpdates {
        private final SplittableRandom choices;

        RandomUpdates(SplittableRandom choices) {
            this.choices = choices;
        }

        void apply(ReplicaCore core) {
            String value = "v" + choices.nextInt(8);
            switch (choices.nextInt(8)) {
                case 0 -> core.update("counter", ReplicatedType.counter(),
                        (c, ctx) -> c.add(ctx.replica(), choices.nextLong(-3, 10)), Consistency.LOCAL, 1_000);
                case 1 -> core.update("set", ReplicatedType.orSet(), (s, ctx) -> s.add(ctx.replica(), value),
                        Consistency.LOCAL, 1_000);
                case 2 -> core.update("set", ReplicatedType.orSet(), (s, ctx) -> s.remove(value),
                        Consistency.LOCAL, 1_000);
                case 3 -> core.update("mv", ReplicatedType.mvRegister(), (r, ctx) -> r.write(ctx.replica(), value),
                        Consistency.LOCAL, 1_000);
                case 4 -> core.update("lww", ReplicatedType.lwwRegister(),
                        (r, ctx) -> r.set(ctx.replica(), ctx.timestampAfter(r.timestamp()), value), Consistency.LOCAL, 1_000);
                case 5 -> core.update("map", ReplicatedType.lwwMap(),
                        (m, ctx) -> m.put(ctx.replica(), ctx.timestamp(), "k" + choices.nextInt(4), value),
                        Consistency.LOCAL, 1_000);
                case 6 -> core.update("doc", ReplicatedType.sequence(), (d, ctx) -> {
                    int index = d.size() == 0 ? 0 : choices.nextInt(d.size() + 1);
                    return d.insert(ctx.replica(), index, value);
                }, Consistency.LOCAL, 1_000);
                default -> core.update("flag", ReplicatedType.flag(),
                        (f, ctx) -> choices.nextBoolean() ? f.enable(ctx.replica()) : f.disable(), Consistency.LOCAL, 1_000);
            }
        }
    }
}
