package io.iridium.consensus.group;

import io.iridium.consensus.machine.KeyValue;
import io.iridium.consensus.raft.Role;
import io.iridium.runtime.Eventually;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** A three-member group on real loopback nodes: it elects, serves, loses its leader and carries on. */
class RaftGroupLoopbackTest {

    private static final String CLUSTER = "raft-test";
    private static final List<String> MEMBERS = List.of("m0", "m1", "m2");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final LocalNetwork network = new LocalNetwork();
    private final List<RaftGroup> groups = new ArrayList<>();

    @AfterEach
    void tearDown() {
        groups.forEach(RaftGroup::close);
        network.close();
    }

    private List<NodeRuntime> startGroup() throws Exception {
        List<NodeRuntime> nodes = network.startNetwork("m", 3);
        for (NodeRuntime node : nodes) {
            groups.add(RaftGroup.start(node, GroupOptions.of(CLUSTER, MEMBERS, dir.resolve(node.self().name()))
                    .withTick(Duration.ofMillis(20))));
        }
        LocalNetwork.awaitServers(nodes, CLUSTER, 3);
        return nodes;
    }

    private Optional<RaftGroup> leader() {
        return groups.stream().filter(g -> g.status().role() == Role.LEADER).findFirst();
    }

    @Test
    void group_losesItsLeader_electsAnotherWithoutLosingAnAcknowledgedWrite() throws Exception {
        List<NodeRuntime> nodes = startGroup();
        Eventually.await(WAIT, "a leader is elected", () -> leader().isPresent());
        Map<String, String> acknowledged = new TreeMap<>();
        GroupClient client = new GroupClient(nodes.get(0), CLUSTER, WAIT);
        for (int i = 0; i < 20; i++) {
            client.put("key/" + i, "before-" + i);
            acknowledged.put("key/" + i, "before-" + i);
        }
        RaftGroup old = leader().orElseThrow();
        long oldTerm = old.status().term();
        int oldIndex = groups.indexOf(old);
        old.close();
        groups.remove(old);
        nodes.get(oldIndex).close();

        Eventually.await(WAIT, "another leader is elected",
                () -> leader().filter(g -> g.status().term() > oldTerm).isPresent());
        GroupClient survivor = new GroupClient(nodes.get(oldIndex == 0 ? 1 : 0), CLUSTER, WAIT);
        for (int i = 20; i < 40; i++) {
            survivor.put("key/" + i, "after-" + i);
            acknowledged.put("key/" + i, "after-" + i);
        }
        Map<String, String> read = new TreeMap<>();
        for (KeyValue kv : survivor.list("key/", 1000)) {
            read.put(kv.key(), kv.valueText());
        }
        assertThat(read).isEqualTo(acknowledged);
        assertThat(survivor.get("key/7", Consistency.LINEARIZABLE).map(KeyValue::valueText)).contains("before-7");
    }

    @Test
    void anyMember_acceptsCommands_andConcurrentAddsAreCountedOnce() throws Exception {
        List<NodeRuntime> nodes = startGroup();
        Eventually.await(WAIT, "a leader is elected", () -> leader().isPresent());
        int clients = 6;
        int adds = 20;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                GroupClient client = new GroupClient(nodes.get(c % nodes.size()), CLUSTER, WAIT);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < adds; i++) {
                        client.add("hits", 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        GroupClient reader = new GroupClient(nodes.get(2), CLUSTER, WAIT);
        assertThat(((io.iridium.consensus.machine.Result.Count) reader.read(
                new io.iridium.consensus.machine.Query.CounterValue("hits"), Consistency.LINEARIZABLE)).value())
                .isEqualTo((long) clients * adds);
        assertThat(reader.compareAndSet("k", null, "first")).isTrue();
        assertThat(reader.compareAndSet("k", null, "second")).isFalse();
        assertThat(reader.delete("k")).isTrue();
        assertThat(reader.admin(GroupProtocol.AdminOperation.STATUS, "")).contains("leader", "m0", "m1", "m2");
    }

    @Test
    void writes_commitWithTheClockStopped() throws Exception {
        List<NodeRuntime> nodes = network.startNetwork("m", 3);
        for (NodeRuntime node : nodes) {
            groups.add(RaftGroup.start(node, GroupOptions.of(CLUSTER, MEMBERS, dir.resolve(node.self().name())), false));
        }
        LocalNetwork.awaitServers(nodes, CLUSTER, 3);
        Eventually.await(WAIT, "a leader is elected on manual ticks", () -> {
            groups.forEach(RaftGroup::tick);
            return leader().isPresent();
        });
        Eventually.await(WAIT, "every member knows the leader",
                () -> groups.stream().allMatch(g -> g.status().leader().isPresent()));
        List<Long> ticksBefore = groups.stream().map(RaftGroup::ticks).toList();

        GroupClient client = new GroupClient(nodes.get(0), CLUSTER, WAIT);
        for (int i = 0; i < 20; i++) {
            client.put("still/" + i, "v" + i);          // no tick from here on: no heartbeat, no timeout
        }
        assertThat(client.get("still/19", Consistency.LINEARIZABLE).map(KeyValue::valueText)).contains("v19");
        assertThat(groups.stream().map(RaftGroup::ticks).toList()).as("no tick was delivered").isEqualTo(ticksBefore);
        Eventually.await(WAIT, "every member applied every write",
                () -> groups.stream().allMatch(g -> g.status().applied() == leader().orElseThrow().status().commit()));
    }

    @Test
    void transfer_handsLeadershipToTheNamedMember() throws Exception {
        List<NodeRuntime> nodes = startGroup();
        Eventually.await(WAIT, "a leader is elected", () -> leader().isPresent());
        String current = leader().orElseThrow().status().member();
        String target = MEMBERS.stream().filter(m -> !m.equals(current)).findFirst().orElseThrow();
        GroupClient client = new GroupClient(nodes.get(0), CLUSTER, WAIT);
        assertThat(client.admin(GroupProtocol.AdminOperation.TRANSFER, target)).contains(target + " leads");
        Eventually.await(WAIT, target + " leads", () -> leader().map(g -> g.status().member().equals(target)).orElse(false));
    }
}
