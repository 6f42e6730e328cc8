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
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lease reads ({@link Consistency#LEASE}) on real loopback nodes whose clocks the test drives
 * tick by tick: the leader answers with the latest acknowledged write, and a leader cut off from
 * the others stops answering from its lease once it has run out, before it has noticed that it
 * lost leadership and while another member leads and has accepted a newer write.
 */
@Timeout(120)
class RaftGroupLeaseReadTest {

    private static final String CLUSTER = "raft-lease";
    private static final List<String> MEMBERS = List.of("m0", "m1", "m2");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int ELECTION_TICKS = 10;
    private static final int LEASE_TICKS = ELECTION_TICKS - 2;      // RaftConfig's default clock-drift margin

    @TempDir
    Path dir;

    private final LocalNetwork network = new LocalNetwork();
    private final List<RaftGroup> groups = new ArrayList<>();

    @AfterEach
    void tearDown() {
        groups.forEach(RaftGroup::close);
        network.close();
    }

    private Optional<RaftGroup> leaderAmong(List<RaftGroup> candidates) {
        return candidates.stream().filter(g -> g.status().role() == Role.LEADER).findFirst();
    }

    private static Optional<String> leaseRead(RaftGroup member, String key) throws Exception {
        return ((Result.Found) member.read(new Query.Get(key), Consistency.LEASE).get()).entry().map(KeyValue::valueText);
    }

    private static boolean answers(RaftGroup member, String key, String value) {
        try {
            return leaseRead(member, key).equals(Optional.of(value));
        } catch (Exception notServed) {
            return false;
        }
    }

    @Test
    void leaseRead_servesTheLatestWrite_andAPartitionedLeaderStopsServingWhenItsLeaseRunsOut() throws Exception {
        List<NodeRuntime> nodes = network.startNetwork("m", 3);
        for (NodeRuntime node : nodes) {
            GroupOptions options = new GroupOptions(CLUSTER, MEMBERS, dir.resolve(node.self().name()), Duration.ofMillis(50),
                    ELECTION_TICKS, 2, Duration.ofSeconds(1), 10_000);
            groups.add(RaftGroup.start(node, options, false));
        }
        LocalNetwork.awaitServers(nodes, CLUSTER, 3);
        Eventually.await(WAIT, "a leader is elected on manual ticks", () -> {
            groups.forEach(RaftGroup::tick);
            return leaderAmong(groups).isPresent();
        });
        RaftGroup old = leaderAmong(groups).orElseThrow();
        GroupClient client = new GroupClient(nodes.get(groups.indexOf(old)), CLUSTER, WAIT);
        client.put("k", "v1");
        Eventually.await(WAIT, "the leader serves a lease read of the latest write", () -> {
            groups.forEach(RaftGroup::tick);                 // heartbeats renew the lease
            return answers(old, "k", "v1");
        });
        assertThat(client.get("k", Consistency.LEASE).map(KeyValue::valueText)).contains("v1");

        old.isolate(true);
        for (int i = 0; i < LEASE_TICKS; i++) {
            old.tick();                                      // its lease runs out before check-quorum deposes it
        }
        List<RaftGroup> others = groups.stream().filter(g -> g != old).toList();
        Eventually.await(WAIT, "the others elect a new leader", () -> {
            others.forEach(RaftGroup::tick);
            return leaderAmong(others).isPresent();
        });
        RaftGroup fresh = leaderAmong(others).orElseThrow();
        GroupClient survivor = new GroupClient(nodes.get(groups.indexOf(fresh)), CLUSTER, WAIT);
        survivor.put("k", "v2");
        assertThat(leaseRead(fresh, "k")).contains("v2");

        assertThat(old.status().term()).as("another member leads in a later term").isLessThan(fresh.status().term());
        assertThat(old.status().role()).as("it has not noticed yet that it lost leadership").isEqualTo(Role.LEADER);
        assertThatThrownBy(() -> leaseRead(old, "k"))
                .as("a deposed leader whose lease ran out does not answer (it would answer v1)")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RaftGroup.RetryableException.class);
    }
}
