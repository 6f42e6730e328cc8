package io.iridium.consensus.raft;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.iridium.consensus.raft.RaftNetwork.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Write latency must not depend on the tick: a proposal is replicated, persisted and committed
 * by message exchange alone. Ticks drive elections and heartbeats only. These tests stop the
 * clock after the election and check that every write still commits everywhere, and that the
 * leader overlaps its own fsync with replication without counting unsynced entries.
 */
class CommitWithoutTicksTest {

    private static RaftNetwork stableGroup(int size, long seed) {
        RaftNetwork net = new RaftNetwork(seed).start(size);
        net.elect(1);
        assertThat(net.node(1).status().role()).isEqualTo(Role.LEADER);
        return net;
    }

    @Test
    void proposals_commitOnEveryMember_withNoTickDelivered() {
        RaftNetwork net = stableGroup(3, 41);
        int deliveredBefore = net.delivered.size();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ProposeResult.Accepted accepted = (ProposeResult.Accepted) net.propose(1, "w" + i);
            net.stabilize();                          // messages only: the clock is stopped
            written.add("w" + i);
            assertThat(net.node(1).status().commit()).as("write %d committed on the leader", i)
                    .isGreaterThanOrEqualTo(accepted.index());
            assertThat(net.appliedData(1)).containsExactlyElementsOf(written);
        }
        for (int n = 2; n <= 3; n++) {
            assertThat(net.appliedData(n)).as("follower %d applied every write", n).containsExactlyElementsOf(written);
        }
        assertThat(net.delivered.subList(deliveredBefore, net.delivered.size()))
                .as("no heartbeat was needed").noneMatch(m -> m instanceof RaftMessage.Heartbeat);
    }

    @Test
    void leader_sendsItsAppendBeforeItsOwnFsync_butCountsItsEntryOnlyOncePersisted() {
        RaftNetwork net = stableGroup(3, 42);
        long before = net.node(1).status().commit();
        ProposeResult.Accepted accepted = (ProposeResult.Accepted) net.node(1).propose("x".getBytes());
        Ready leaderReady = net.node(1).ready();
        assertThat(leaderReady.entries()).extracting(Entry::index).containsExactly(accepted.index());
        assertThat(leaderReady.eagerMessages()).as("appends may go before the leader's fsync")
                .filteredOn(m -> m instanceof RaftMessage.Append a && !a.entries().isEmpty())
                .extracting(RaftMessage::to).containsExactlyInAnyOrder(id(2), id(3));

        // Follower 2 persists and acknowledges while the leader has not finished its own write.
        RaftMessage toTwo = leaderReady.eagerMessages().stream().filter(m -> m.to().equals(id(2))).findFirst().orElseThrow();
        net.node(2).step(toTwo);
        Ready followerReady = net.node(2).ready();
        assertThat(followerReady.eagerMessages()).as("a follower acknowledges only after persisting").isEmpty();
        RaftMessage ack = followerReady.messages().stream().filter(m -> m instanceof RaftMessage.AppendResponse)
                .findFirst().orElseThrow();
        net.node(2).advance(followerReady);
        net.node(1).step(ack);
        assertThat(net.node(1).status().commit()).as("one follower plus an unsynced leader is no quorum")
                .isEqualTo(before);

        net.node(1).advance(leaderReady);               // the leader's fsync completed
        assertThat(net.node(1).status().commit()).isEqualTo(accepted.index());
    }

    @Test
    void candidate_sendsNothingBeforeItsTermAndVoteAreDurable() {
        RaftNetwork net = new RaftNetwork(43).tune(b -> b.preVote(false)).start(3);
        net.node(1).campaign();
        Ready rd = net.node(1).ready();
        assertThat(rd.hardState()).isPresent();
        assertThat(rd.eagerMessages()).isEmpty();
        assertThat(rd.messages()).isNotEmpty();
        net.node(1).advance(rd);
    }
}
