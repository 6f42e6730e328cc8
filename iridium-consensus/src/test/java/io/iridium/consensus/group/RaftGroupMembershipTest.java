package io.iridium.consensus.group;

import io.iridium.consensus.machine.KeyValue;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;
import io.iridium.consensus.raft.Role;
import io.iridium.runtime.Eventually;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership changes through the administrative API that {@code iridium raft add|remove} uses,
 * on real loopback nodes, while a client keeps writing: a new member comes in as a learner,
 * catches up (it applies every earlier write), is promoted to voter, and a member removed leaves
 * the configuration; no acknowledged write is lost.
 */
@Timeout(120)
class RaftGroupMembershipTest {

    private static final String CLUSTER = "raft-members";
    private static final List<String> FOUNDERS = List.of("m0", "m1", "m2");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final LocalNetwork network = new LocalNetwork();
    private final Map<String, RaftGroup> groups = new TreeMap<>();

    @AfterEach
    void tearDown() {
        groups.values().forEach(RaftGroup::close);
        network.close();
    }

    private RaftGroup startMember(NodeRuntime node) throws Exception {
        RaftGroup group = RaftGroup.start(node, GroupOptions.of(CLUSTER, FOUNDERS, dir.resolve(node.self().name()))
                .withTick(Duration.ofMillis(20)));
        groups.put(node.self().name(), group);
        return group;
    }

    private Optional<RaftGroup> leader() {
        return groups.values().stream().filter(g -> g.status().role() == Role.LEADER).findFirst();
    }

    @Test
    void addThenRemove_whileWriting_learnerCatchesUpIsPromoted_andNoAcknowledgedWriteIsLost() throws Exception {
        List<NodeRuntime> nodes = network.startNetwork("m", 3);
        for (NodeRuntime node : nodes) {
            startMember(node);
        }
        LocalNetwork.awaitServers(nodes, CLUSTER, 3);
        Eventually.await(WAIT, "a leader is elected", () -> leader().isPresent());

        GroupClient admin = new GroupClient(nodes.get(0), CLUSTER, WAIT);
        Map<String, String> acknowledged = new ConcurrentSkipListMap<>();
        for (int i = 0; i < 30; i++) {
            admin.put("early/" + i, "v" + i);
            acknowledged.put("early/" + i, "v" + i);
        }

        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            GroupClient writerClient = new GroupClient(nodes.get(1), CLUSTER, WAIT);
            Future<Integer> writer = pool.submit(() -> {
                int i = 0;
                while (writing.get()) {
                    writerClient.put("during/" + i, "w" + i);
                    acknowledged.put("during/" + i, "w" + i);
                    i++;
                }
                return i;
            });

            try {
            // a fourth node, not a founder: it starts empty and waits to be added
            NodeRuntime newcomer = network.start("m3", List.of(nodes.get(0).address()));
            RaftGroup joined = startMember(newcomer);
            List<NodeRuntime> all = List.of(nodes.get(0), nodes.get(1), nodes.get(2), newcomer);
            LocalNetwork.awaitServers(all, CLUSTER, 4);
            assertThat(joined.status().voters()).as("a new node is no member before it is added").isEmpty();

            String added = admin.admin(GroupProtocol.AdminOperation.ADD, "m3");
            assertThat(added).contains("m3 is a voter");
            Eventually.await(WAIT, "every member sees m3 as a voter",
                    () -> groups.values().stream().allMatch(g -> g.status().voters().contains("m3")
                            && g.status().learners().isEmpty()), this::describeAll);
            for (int i = 0; i < 30; i++) {
                Result early = joined.read(new Query.Get("early/" + i), Consistency.STALE).get();
                assertThat(((Result.Found) early).entry().map(KeyValue::valueText))
                        .as("m3 applied the write made before it joined").contains("v" + i);
            }
            assertThat(admin.admin(GroupProtocol.AdminOperation.STATUS, "")).contains("m3");

            String leaving = leader().orElseThrow().status().member().equals("m2") ? "m1" : "m2";
            assertThat(admin.admin(GroupProtocol.AdminOperation.REMOVE, leaving)).contains(leaving + " left");
            Eventually.await(WAIT, "the remaining members no longer count " + leaving,
                    () -> groups.entrySet().stream().filter(e -> !e.getKey().equals(leaving))
                            .allMatch(e -> !e.getValue().status().voters().contains(leaving)
                                    && e.getValue().status().voters().size() == 3), this::describeAll);

            int before = acknowledgedDuring(acknowledged);
            Eventually.await(WAIT, "writes continue after the removal", () -> acknowledgedDuring(acknowledged) > before + 10);
            } finally {
                writing.set(false);                     // on failure too, so the writer ends
            }
            assertThat(writer.get()).isPositive();
        }

        GroupClient reader = new GroupClient(nodes.get(0), CLUSTER, WAIT);
        Map<String, String> read = new TreeMap<>();
        for (KeyValue kv : reader.list("", 100_000)) {
            read.put(kv.key(), kv.valueText());
        }
        assertThat(read).as("a linearizable read shows every acknowledged write").containsAllEntriesOf(acknowledged);
    }

    private String describeAll() {
        StringBuilder out = new StringBuilder();
        groups.values().forEach(g -> out.append('\n').append(g.status().describe()));
        return out.toString();
    }

    private static int acknowledgedDuring(Map<String, String> acknowledged) {
        return (int) acknowledged.keySet().stream().filter(k -> k.startsWith("during/")).count();
    }
}
