package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.ReplicaId;
import io.iridium.data.crdt.PnCounter;
import io.iridium.testkit.sim.NetworkConditions;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import io.iridium.testkit.sim.junit.SimSeed;
import io.iridium.testkit.sim.junit.SimSeedExtension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Counters under churn, in the simulator over a lossy, duplicating, reordering network:
 * replicas that join, count and leave hand their entries to an heir ({@link ReplicaCore#leave}),
 * so a counter keeps one entry per live replica however many came and went; no replica ever
 * counts an increment twice, not even for a moment; tombstones are forgotten after the grace
 * period; and the total stays exact.
 */
@ExtendWith(SimSeedExtension.class)
class CounterChurnSimulationTest {

    private static final NetworkConditions LOSSY = NetworkConditions.lan().withDrop(0.10)
            .withDuplicationAndReordering(0.05, 0.10, 80);
    private static final long GRACE_MILLIS = 5_000;
    private static final ReplicaConfig CONFIG = ReplicaConfig.defaults().withAntiEntropyEveryTicks(10)
            .withForgetRetiredAfterMillis(GRACE_MILLIS);
    private static final String KEY = "impressions";
    private static final int PERMANENT = 3;

    @Test
    void thirtyReplicasJoinCountAndLeave_oneEntryPerLiveReplica_exactTotal_neverDoubleCounted(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> permanent = cluster.addNodes(PERMANENT);
        sim.setConditions(LOSSY);
        SplittableRandom choices = new SplittableRandom(seed.value());
        long total = 0;
        int confirmed = 0;
        for (int cycle = 0; cycle < 30; cycle++) {
            SimNode visitor = cluster.addNodes(1).getLast();
            for (int i = 0; i < 5; i++) {
                long amount = choices.nextLong(1, 20);
                increment(cluster.core(visitor), amount, Consistency.LOCAL);
                total += amount;
                long other = choices.nextLong(1, 5);
                increment(cluster.core(permanent.get(choices.nextInt(PERMANENT))), other, Consistency.LOCAL);
                total += other;
                sim.runFor(choices.nextLong(5, 80));
            }
            if (cluster.leave(visitor, 5_000)) {
                confirmed++;
            }
            assertNoReplicaCountsMoreThan(cluster, total);
        }
        assertThat(confirmed).as("hand-offs an heir confirmed").isEqualTo(30);
        sim.heal();
        assertThat(sim.runUntil(cluster::converged, 60_000, 100)).as("converged: %s", cluster.describe()).isTrue();
        for (SimNode node : cluster.running()) {
            ReplicaCore core = cluster.core(node);
            assertThat(core.value(KEY, ReplicatedType.counter()).value()).isEqualTo(total);
        }

        // After the grace period every tombstone is forgotten: only the live replicas' entries stay.
        sim.runFor(3 * GRACE_MILLIS);
        assertThat(sim.runUntil(cluster::converged, 60_000, 100)).as("converged: %s", cluster.describe()).isTrue();
        for (SimNode node : cluster.running()) {
            ReplicaCore core = cluster.core(node);
            PnCounter counter = core.value(KEY, ReplicatedType.counter());
            assertThat(counter.value()).isEqualTo(total);
            assertThat(counter.increments().retired()).isEmpty();
            assertThat(counter.increments().entries().keySet())
                    .isSubsetOf(cluster.running().stream().map(n -> ReplicaId.of(n.id())).toList());
            assertThat(core.counterRecords(KEY)).isLessThanOrEqualTo(2 * PERMANENT);
        }
    }

    @Test
    void leave_foldsTheEntryIntoOneHeir_tombstoneUntilGrace_valueUnchangedThroughout(SimSeed seed) {
        leaveThenForget(seed.value());
    }

    /**
     * A seed under which the replicas used to hand the tombstone back to each other as each one
     * forgot it, keeping it alive past twice the grace: a forgotten tombstone merged from a
     * slower peer must stay forgotten.
     */
    @Test
    void leave_forgottenTombstoneSentBackByASlowerPeer_staysForgotten() {
        leaveThenForget(4858724679637317125L);
    }

    private void leaveThenForget(long seed) {
        Simulation sim = new Simulation(seed);
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = cluster.addNodes(4);
        sim.setConditions(LOSSY);
        long total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            increment(cluster.core(nodes.get(i)), 10L * (i + 1), Consistency.LOCAL);
            total += 10L * (i + 1);
        }
        increment(cluster.core(nodes.get(3)), -7, Consistency.LOCAL); // a decrement is handed over too
        total -= 7;
        assertThat(sim.runUntil(cluster::converged, 30_000, 50)).isTrue();
        SimNode leaver = nodes.get(3);
        ReplicaId departed = ReplicaId.of(leaver.id());

        assertThat(cluster.leave(leaver, 5_000)).isTrue();
        assertThat(sim.runUntil(cluster::converged, 30_000, 50)).as("converged: %s", cluster.describe()).isTrue();
        for (SimNode node : cluster.running()) {
            PnCounter counter = cluster.core(node).value(KEY, ReplicatedType.counter());
            assertThat(counter.value()).isEqualTo(total);
            assertThat(counter.increments().entries()).doesNotContainKey(departed);
            assertThat(counter.decrements().entries()).doesNotContainKey(departed);
            assertThat(counter.increments().retired()).containsOnlyKeys(departed);
        }
        long heirs = cluster.running().stream().filter(n -> cluster.core(n).stats().handoffsAccepted() > 0).count();
        assertThat(heirs).as("exactly one heir").isEqualTo(1);

        sim.runFor(2 * GRACE_MILLIS);
        assertThat(sim.runUntil(cluster::converged, 30_000, 50)).isTrue();
        for (SimNode node : cluster.running()) {
            PnCounter counter = cluster.core(node).value(KEY, ReplicatedType.counter());
            assertThat(counter.value()).isEqualTo(total);
            assertThat(counter.increments().retired()).isEmpty();
            assertThat(counter.decrements().retired()).isEmpty();
        }
    }

    @Test
    void twoReplicasLeaveAtOnce_eachRefusesTheOther_bothHandOffToASurvivor(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        ReplicaSimCluster cluster = new ReplicaSimCluster(sim, CONFIG, false);
        List<SimNode> nodes = new ArrayList<>(cluster.addNodes(5));
        sim.setConditions(LOSSY);
        long total = 0;
        for (SimNode node : nodes) {
            increment(cluster.core(node), 100, Consistency.LOCAL);
            total += 100;
        }
        assertThat(sim.runUntil(cluster::converged, 30_000, 50)).isTrue();
        // The two lowest identities: each is the other's first candidate heir.
        nodes.sort(Comparator.comparing(n -> ReplicaId.of(n.id())));
        SimNode first = nodes.get(0);
        SimNode second = nodes.get(1);
        CompletableFuture<Boolean> firstLeft = cluster.core(first).leave(5_000);
        CompletableFuture<Boolean> secondLeft = cluster.core(second).leave(5_000);
        assertThatThrownBy(() -> increment(cluster.core(first), 1, Consistency.LOCAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("leaving");
        sim.runUntil(() -> firstLeft.isDone() && secondLeft.isDone(), 6_000, 50);
        assertThat(firstLeft).isCompletedWithValue(true);
        assertThat(secondLeft).isCompletedWithValue(true);
        assertThat(cluster.core(first).stats().handoffsRefused() + cluster.core(second).stats().handoffsRefused())
                .isPositive();
        cluster.leave(first, 1_000);
        cluster.leave(second, 1_000);
        assertThat(sim.runUntil(cluster::converged, 30_000, 50)).as("converged: %s", cluster.describe()).isTrue();
        for (SimNode node : cluster.running()) {
            PnCounter counter = cluster.core(node).value(KEY, ReplicatedType.counter());
            assertThat(counter.value()).isEqualTo(total);
            assertThat(counter.increments().entries()).hasSize(3);
            assertThat(counter.increments().retired()).hasSize(2);
        }
    }

    private static void increment(ReplicaCore core, long amount, Consistency consistency) {
        core.update(KEY, ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), amount), consistency, 2_000);
    }

    /** Increments only, so a value above the total would be an increment counted twice. */
    private static void assertNoReplicaCountsMoreThan(ReplicaSimCluster cluster, long total) {
        for (SimNode node : cluster.running()) {
            assertThat(cluster.core(node).value(KEY, ReplicatedType.counter()).value())
                    .as("%s never counts an increment twice", node).isLessThanOrEqualTo(total);
        }
    }
}
