package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.runtime.Eventually;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Replicas} over real nodes on loopback: updates made at different nodes reach every
 * replica, MAJORITY writes are confirmed by the others and seen by MAJORITY reads, change
 * listeners fire for remote updates, a late joiner is filled in by anti-entropy, a durable
 * replica recovers its states after a restart, and MAJORITY fails with a typed error when the
 * other replicas are gone.
 */
class ReplicasLoopbackTest {

    private static final String CLUSTER = "replicas";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void threeReplicas_updatesEverywhere_convergeAndMajorityIsConfirmed() throws Exception {
        try (LocalNetwork network = new LocalNetwork()) {
            List<NodeRuntime> nodes = network.startNetwork("r", 3);
            List<Replicas> replicas = new ArrayList<>();
            for (NodeRuntime node : nodes) {
                replicas.add(Replicas.join(node, CLUSTER, ReplicaOptions.defaults().withExpectedReplicas(3)));
            }
            try {
                LocalNetwork.awaitServers(nodes, CLUSTER, 3);
                Eventually.await(WAIT, "every replica sees three", () ->
                        replicas.stream().allMatch(r -> r.replicas().size() == 3));
                List<Long> seen = new CopyOnWriteArrayList<>();
                replicas.get(2).counter("hits").onChange(seen::add);

                replicas.get(0).counter("hits").increment(5);
                replicas.get(1).counter("hits").increment(-2);
                replicas.get(2).counter("hits").increment(10, Consistency.MAJORITY, TIMEOUT).join();
                assertThat(replicas.subList(0, 2))
                        .as("once MAJORITY is confirmed, another replica holds the increment")
                        .anyMatch(r -> r.counter("hits").handle().get().increments().get(replicas.get(2).self()) == 10);
                replicas.get(1).orSet("tags").add("red");
                replicas.get(0).register("owner").set("alice");

                Eventually.await(WAIT, "counters converge on 13", () ->
                        replicas.stream().allMatch(r -> r.counter("hits").value() == 13));
                Eventually.await(WAIT, "sets and registers converge", () -> replicas.stream().allMatch(r ->
                        r.orSet("tags").elements().equals(Set.of("red")) && r.register("owner").get().orElse("").equals("alice")));
                assertThat(replicas.get(0).counter("hits").value(Consistency.ALL, TIMEOUT).join()).isEqualTo(13);
                Eventually.await(WAIT, "the listener saw the final value", () -> seen.contains(13L));
            } finally {
                replicas.forEach(Replicas::close);
            }
        }
    }

    @Test
    void lateJoiner_isFilledInByAntiEntropy_andDurableStateSurvivesRestart(@TempDir Path data) {
        ReplicaOptions options = ReplicaOptions.defaults()
                .withConfig(ReplicaConfig.defaults().withAntiEntropyEveryTicks(4));
        try (LocalNetwork network = new LocalNetwork()) {
            List<NodeRuntime> nodes = network.startNetwork("d", 2);
            Replicas first = Replicas.join(nodes.get(0), CLUSTER, options);
            Replicas second = Replicas.join(nodes.get(1), CLUSTER, options.withDataDirectory(data));
            try {
                first.orSet("members").add("a");
                first.orSet("members").add("b");
                first.sequence("doc").append("hello");
                Eventually.await(WAIT, "the second replica catches up", () ->
                        second.orSet("members").elements().equals(Set.of("a", "b"))
                                && second.sequence("doc").values().equals(List.of("hello")));
            } finally {
                second.close();
            }
            // The durable replica's process restarts: a new node, the same data directory.
            NodeRuntime restarted = network.start("d-again", List.of(nodes.get(0).address()));
            Replicas recovered = Replicas.join(restarted, CLUSTER, options.withDataDirectory(data));
            try {
                assertThat(recovered.orSet("members").elements()).containsExactlyInAnyOrder("a", "b");
                assertThat(recovered.sequence("doc").values()).containsExactly("hello");
            } finally {
                recovered.close();
                first.close();
            }
        }
    }

    @Test
    void majority_otherReplicasGone_failsWithConsistencyNotReached() {
        try (LocalNetwork network = new LocalNetwork()) {
            List<NodeRuntime> nodes = network.startNetwork("m", 1);
            try (Replicas alone = Replicas.join(nodes.get(0), CLUSTER, ReplicaOptions.defaults().withExpectedReplicas(3))) {
                assertThat(alone.counter("c").increment(1)).isEqualTo(1); // LOCAL is always available
                assertThatThrownBy(() -> alone.counter("c").increment(1, Consistency.MAJORITY, Duration.ofMillis(500)).join())
                        .isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(ConsistencyNotReachedException.class)
                        .hasMessageContaining("reached 1 of the 2");
                assertThatThrownBy(() -> alone.orSet("c"))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds a pn-counter");
            }
        }
    }

    @Test
    void close_failsPendingMajorityOperationsAtOnce_withATypedFailure() throws Exception {
        try (LocalNetwork network = new LocalNetwork()) {
            List<NodeRuntime> nodes = network.startNetwork("c", 1);
            Replicas alone = Replicas.join(nodes.get(0), CLUSTER, ReplicaOptions.defaults().withExpectedReplicas(3));
            var write = alone.counter("c").handle().update((c, ctx) -> c.add(ctx.replica(), 1), Consistency.MAJORITY,
                    Duration.ofMinutes(5));
            var read = alone.counter("c").handle().read(Consistency.ALL, Duration.ofMinutes(5));
            alone.close();

            for (var pending : List.of(write, read)) {
                assertThatThrownBy(() -> pending.get(5, java.util.concurrent.TimeUnit.SECONDS))
                        .isInstanceOf(java.util.concurrent.ExecutionException.class)
                        .cause().isInstanceOf(io.iridium.IridiumException.Closed.class).hasMessageContaining("closed");
            }
            assertThatThrownBy(() -> alone.counter("c").increment(1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void visitorsJoinIncrementAndLeave_counterKeepsOnlyThePermanentEntries_exactValue() {
        try (LocalNetwork network = new LocalNetwork()) {
            List<NodeRuntime> nodes = network.startNetwork("p", 2);
            List<Replicas> permanent = new ArrayList<>();
            for (NodeRuntime node : nodes) {
                permanent.add(Replicas.join(node, CLUSTER));
            }
            try {
                permanent.get(0).counter("visits").increment(1);
                for (int i = 0; i < 3; i++) {
                    NodeRuntime node = network.start("visitor" + i, List.of(nodes.get(0).address()));
                    Replicas visitor = Replicas.join(node, CLUSTER);
                    try {
                        Eventually.await(WAIT, "the visitor meets both replicas", () -> visitor.replicas().size() == 3);
                        visitor.counter("visits").increment(10, Consistency.MAJORITY, TIMEOUT).join();
                        assertThat(visitor.leave()).as("an heir confirmed the hand-off").isTrue();
                    } finally {
                        visitor.close();
                        node.close();
                    }
                }
                Eventually.await(WAIT, "both replicas count 31 with their own two entries only", () ->
                        permanent.stream().allMatch(r -> {
                            var counter = r.counter("visits").handle().get();
                            return counter.value() == 31 && counter.increments().entries().size() <= 2
                                    && counter.increments().retired().size() == 3;
                        }));
            } finally {
                permanent.forEach(Replicas::close);
            }
        }
    }
}
