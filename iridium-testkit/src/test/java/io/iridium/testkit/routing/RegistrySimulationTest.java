package io.iridium.testkit.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.membership.SwimConfig;
import io.iridium.routing.RegistryConfig;
import io.iridium.testkit.sim.NetworkConditions;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import io.iridium.testkit.sim.junit.SimSeed;
import io.iridium.testkit.sim.junit.SimSeedExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing registry in the simulator, on top of the real SWIM core, over a lossy network
 * that also duplicates and reorders: every running node converges on the same routes (exactly
 * the running nodes, each with what it last published) after churn of services, subscriptions
 * and members, and after a partition heals; one seed gives one run. Each test takes its seed
 * from {@code -Diridium.seed} (or a fresh one) and prints it when it fails.
 */
@ExtendWith(SimSeedExtension.class)
class RegistrySimulationTest {

    private static final SwimConfig SWIM = SwimConfig.lan();
    private static final RegistryConfig REGISTRY = RegistryConfig.defaults();
    private static final NetworkConditions LOSSY = NetworkConditions.lan().withDrop(0.05)
            .withDuplicationAndReordering(0.02, 0.05, 50);

    private static RegistryCluster started(SimSeed seed, int nodes) {
        Simulation sim = new Simulation(seed.value());
        RegistryCluster cluster = new RegistryCluster(sim, SWIM, REGISTRY);
        cluster.addNodes(nodes, 20);
        // Joining happens on a quiet network (a lost join is SWIM's business, tested there);
        // everything the registry does from here on runs over loss, duplication and reordering.
        sim.setConditions(LOSSY);
        SplittableRandom choices = new SplittableRandom(seed.value() ^ 0x1234);
        for (SimNode node : cluster.runningNodes()) {
            publishRandom(cluster, node, choices);
        }
        assertThat(sim.runUntil(() -> cluster.membershipConverged() && cluster.converged() && cluster.allSynced(),
                120_000, 500)).as("converged after start: %s", cluster.describe()).isTrue();
        return cluster;
    }

    private static void publishRandom(RegistryCluster cluster, SimNode node, SplittableRandom choices) {
        Map<String, Integer> services = new TreeMap<>();
        Set<String> patterns = new HashSet<>();
        for (int i = choices.nextInt(4); i > 0; i--) {
            services.put("cluster" + choices.nextInt(6), choices.nextInt(1, 64));
        }
        for (int i = choices.nextInt(4); i > 0; i--) {
            String pattern = "t" + choices.nextInt(5) + (choices.nextBoolean() ? ".*" : "") + (choices.nextBoolean() ? ".>" : "");
            patterns.add(pattern);
        }
        cluster.publish(node, services, patterns);
    }

    @Test
    void churn_thirtyNodes_servicesSubscriptionsAndCrashes_allConvergeOnTheSameRoutes(SimSeed seed) {
        RegistryCluster cluster = started(seed, 30);
        Simulation sim = cluster.simulation();
        SplittableRandom choices = new SplittableRandom(seed.value());
        List<SimNode> crashed = new ArrayList<>();

        for (int step = 0; step < 60; step++) {
            List<SimNode> running = cluster.runningNodes();
            int action = choices.nextInt(10);
            if (action == 0 && crashed.size() < 4) {
                SimNode victim = running.get(choices.nextInt(1, running.size())); // n0 is the seed: keep it
                cluster.crash(victim);
                crashed.add(victim);
            } else if (action == 1 && !crashed.isEmpty()) {
                SimNode back = crashed.remove(choices.nextInt(crashed.size()));
                cluster.restart(back);
                publishRandom(cluster, back, choices);
            } else {
                publishRandom(cluster, running.get(choices.nextInt(running.size())), choices);
            }
            sim.runFor(choices.nextLong(100, 1_000));
        }

        boolean converged = sim.runUntil(() -> cluster.membershipConverged() && cluster.converged(), 180_000, 500);
        assertThat(converged).as("converged after churn: %s", cluster.describe()).isTrue();
        assertThat(cluster.allSynced()).isTrue();
        for (SimNode node : cluster.runningNodes()) {
            assertThat(node.malformedDatagrams()).isZero();
        }
    }

    @Test
    void partition_eachSideChanges_afterHealOneViewAgain(SimSeed seed) {
        RegistryCluster cluster = started(seed, 30);
        Simulation sim = cluster.simulation();
        SplittableRandom choices = new SplittableRandom(seed.value() + 1);
        List<SimNode> left = cluster.runningNodes().subList(0, 15);
        List<SimNode> right = cluster.runningNodes().subList(15, 30);

        sim.partition(left, right);
        for (int step = 0; step < 20; step++) {
            List<SimNode> side = step % 2 == 0 ? left : right;
            publishRandom(cluster, side.get(choices.nextInt(side.size())), choices);
            sim.runFor(1_000);
        }
        sim.runFor(40_000); // long enough for each side to declare the other failed
        SimNode leftNode = left.get(3);
        assertThat(cluster.registry(leftNode).routes().advertisements().keySet())
                .as("during the partition a node routes only to its own side")
                .doesNotContainAnyElementsOf(right.stream().map(SimNode::id).toList());

        sim.heal();
        boolean converged = sim.runUntil(() -> cluster.membershipConverged() && cluster.converged(), 180_000, 500);
        assertThat(converged).as("converged after heal: %s", cluster.describe()).isTrue();
    }

    @Test
    void determinism_sameSeed_sameTraceAndRoutes(SimSeed seed) {
        List<String> first = run(seed);
        List<String> second = run(seed);
        assertThat(second).isEqualTo(first);
    }

    private static List<String> run(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        sim.setTraceMessages(true);
        RegistryCluster cluster = new RegistryCluster(sim, SWIM, REGISTRY);
        cluster.addNodes(8, 20);
        sim.setConditions(LOSSY);
        SplittableRandom choices = new SplittableRandom(seed.value());
        for (int step = 0; step < 10; step++) {
            List<SimNode> running = cluster.runningNodes();
            publishRandom(cluster, running.get(choices.nextInt(running.size())), choices);
            if (step == 5) {
                cluster.crash(running.get(running.size() - 1));
            }
            sim.runFor(500);
        }
        sim.runFor(10_000);
        List<String> lines = new ArrayList<>(sim.trace().lines());
        for (SimNode node : cluster.runningNodes()) {
            lines.add(node + " " + cluster.registry(node).routes().clusters() + " "
                    + cluster.registry(node).routes().subscriptions());
        }
        return lines;
    }
}
