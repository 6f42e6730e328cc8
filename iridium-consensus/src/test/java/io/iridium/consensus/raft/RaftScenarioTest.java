package io.iridium.consensus.raft;

import io.iridium.NodeId;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.iridium.consensus.raft.RaftNetwork.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario tests for the protocol's extensions beyond the paper's core: pre-vote and
 * check-quorum against disruption, leader transfer, reads, replication flow control.
 */
class RaftScenarioTest {

    private static RaftNetwork stableGroup(int size, long seed) {
        RaftNetwork net = new RaftNetwork(seed).start(size);
        net.elect(1);
        assertThat(net.node(1).status().role()).isEqualTo(Role.LEADER);
        return net;
    }

    @Test
    void preVote_partitionedNodeRejoining_doesNotDisruptAStableLeader() {
        RaftNetwork net = stableGroup(5, 1);
        long term = net.node(1).status().term();
        net.isolate(3);
        net.tickAll(60);                                 // node 3 times out again and again
        assertThat(net.node(3).status().term()).as("pre-votes never raise the term").isEqualTo(term);
        net.heal();
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo(id(1));
        assertThat(net.node(1).status().term()).isEqualTo(term);
        net.propose(1, "after");
        net.tickAll(2);
        assertThat(net.appliedData(3)).containsExactly("after");
    }

    @Test
    void withoutPreVote_partitionedNodeRejoining_forcesAnElection() {
        RaftNetwork net = new RaftNetwork(2).tune(b -> b.preVote(false)).start(5);
        net.elect(1);
        long term = net.node(1).status().term();
        net.isolate(3);
        net.tickAll(60);
        assertThat(net.node(3).status().term()).as("without pre-vote the term runs up").isGreaterThan(term);
        net.heal();
        net.tickAll(60);
        assertThat(net.node(1).status().term()).as("the rejoining node disrupted the group").isGreaterThan(term);
        assertThat(net.leader()).isNotNull();
    }

    @Test
    void checkQuorum_leaderCutOffFromMajority_stepsDown() {
        RaftNetwork net = stableGroup(5, 3);
        net.partition(Set.of(1, 2));
        net.tickAll(25);
        assertThat(net.node(1).status().role()).isNotEqualTo(Role.LEADER);
        NodeId newLeader = net.leader();
        assertThat(newLeader).isIn(id(3), id(4), id(5));
        assertThat(net.propose(1, "x")).isInstanceOf(ProposeResult.NotLeader.class);
    }

    @Test
    void checkQuorum_followerThatHeardFromLeaderRecently_ignoresHigherTermVoteRequests() {
        RaftNetwork net = stableGroup(3, 4);
        long term = net.node(2).status().term();
        net.node(2).step(new RaftMessage.RequestVote(id(3), id(2), term + 5, 100, term + 4, false));
        assertThat(net.node(2).status().term()).isEqualTo(term);
        assertThat(net.node(2).hasReady()).as("no vote, no message").isFalse();
    }

    @Test
    void leaderTransfer_caughtUpTarget_becomesLeaderInTheNextTerm() {
        RaftNetwork net = stableGroup(3, 5);
        long term = net.node(1).status().term();
        assertThat(net.node(1).transferLeadership(id(3))).isInstanceOf(ProposeResult.Accepted.class);
        net.handleReadies(id(1));
        net.stabilize();
        assertThat(net.leader()).isEqualTo(id(3));
        assertThat(net.node(3).status().term()).isEqualTo(term + 1);
    }

    @Test
    void leaderTransfer_laggingTarget_catchesUpFirstAndProposalsAreRefusedMeanwhile() {
        RaftNetwork net = stableGroup(3, 6);
        net.isolate(3);
        net.propose(1, "a");
        net.propose(1, "b");
        net.stabilize();
        net.heal();
        net.node(1).transferLeadership(id(3));
        assertThat(net.node(1).propose("c".getBytes())).isInstanceOf(ProposeResult.Rejected.class);
        net.handleReadies(id(1));
        net.stabilize();
        assertThat(net.leader()).isEqualTo(id(3));
        assertThat(net.node(3).entry(3).orElseThrow().payload()).isEqualTo(new Payload.Data("b".getBytes()));
    }

    @Test
    void leaderTransfer_toUnreachableTarget_isAbandonedAfterAnElectionTimeout() {
        RaftNetwork net = stableGroup(3, 7);
        net.isolate(3);
        net.node(1).transferLeadership(id(3));
        net.handleReadies(id(1));
        net.stabilize();
        assertThat(net.node(1).status().transferee()).contains(id(3));
        net.node(1).tick();
        for (int i = 0; i < 10; i++) {
            net.tick(1, 1);
            net.tick(2, 1);
            net.stabilize();
        }
        assertThat(net.node(1).status().transferee()).isEmpty();
        assertThat(net.propose(1, "ok")).isInstanceOf(ProposeResult.Accepted.class);
    }

    @Test
    void readIndex_onLeader_confirmsLeadershipWithAQuorumBeforeAnswering() {
        RaftNetwork net = stableGroup(3, 8);
        net.propose(1, "a");
        net.stabilize();
        long commit = net.node(1).status().commit();
        net.isolate(2);
        net.isolate(3);
        assertThat(net.node(1).readIndex(42)).isTrue();
        net.handleReadies(id(1));
        net.stabilize();
        assertThat(net.reads.get(id(1))).as("no quorum, no answer").isEmpty();
        net.heal();
        net.tickAll(1);
        assertThat(net.reads.get(id(1))).containsExactly(new ReadState(commit, 42));
    }

    @Test
    void readIndex_onFollower_isForwardedToTheLeader() {
        RaftNetwork net = stableGroup(3, 9);
        net.propose(1, "a");
        net.stabilize();
        assertThat(net.node(2).readIndex(7)).isTrue();
        net.handleReadies(id(2));
        net.stabilize();
        assertThat(net.reads.get(id(2))).containsExactly(new ReadState(net.node(1).status().commit(), 7));
    }

    @Test
    void readIndex_deposedLeaderInMinority_neverAnswers() {
        RaftNetwork net = stableGroup(5, 10);
        net.partition(Set.of(1));
        net.node(1).readIndex(1);
        net.handleReadies(id(1));
        net.tickAll(40);
        assertThat(net.reads.get(id(1))).isEmpty();
    }

    @Test
    void leaseRead_withinTheLease_isAnsweredWithoutARoundTrip() {
        RaftNetwork net = new RaftNetwork(11).tune(b -> b.readMode(RaftConfig.ReadMode.LEASE)).start(3);
        net.tickAll(30);                                  // fresh nodes refuse votes for a timeout, then elect
        NodeId leader = net.leader();
        assertThat(leader).isNotNull();
        int before = net.delivered.size();
        net.nodes.get(leader).readIndex(5);
        net.handleReadies(leader);
        assertThat(net.reads.get(leader)).hasSize(1);
        assertThat(net.pending()).as("no heartbeat needed").isEmpty();
        assertThat(net.delivered.size()).isEqualTo(before);
    }

    @Test
    void leaseRead_afterTheLeaseLapses_fallsBackToAQuorumRound() {
        RaftNetwork net = new RaftNetwork(12).tune(b -> b.readMode(RaftConfig.ReadMode.LEASE)).start(3);
        net.tickAll(30);
        int leader = (int) net.leader().low();
        for (int n = 1; n <= 3; n++) {
            if (n != leader) {
                net.isolate(n);
            }
        }
        net.tick(leader, 9);                              // the lease of 10 - 2 ticks has run out
        net.stabilize();
        net.node(leader).readIndex(5);
        net.handleReadies(id(leader));
        net.stabilize();
        assertThat(net.reads.get(id(leader))).isEmpty();
    }

    @Test
    void leaseRead_restartedFollower_refusesVotesForAnElectionTimeout() {
        RaftNetwork net = new RaftNetwork(18).tune(b -> b.readMode(RaftConfig.ReadMode.LEASE)).start(3);
        net.tickAll(30);
        int follower = net.leader().low() == 1 ? 2 : 1;
        net.crash(follower);
        net.restart(follower);
        long term = net.node(follower).status().term();
        net.node(follower).step(new RaftMessage.RequestVote(id(3), id(follower), term + 1, 1000, term + 1, false));
        assertThat(net.node(follower).status().term()).as("it may have acknowledged the lease before crashing").isEqualTo(term);
    }

    @Test
    void replication_conflictingFollowerLog_isRepairedWithFewProbes() {
        RaftNetwork net = new RaftNetwork(13).tune(b -> b.preVote(false).checkQuorum(false)).start(3);
        net.elect(1);
        net.isolate(1);
        for (int i = 0; i < 50; i++) {
            net.propose(1, "stale" + i);                  // 50 entries that will never commit
        }
        net.stabilize();
        net.heal();
        net.isolate(1);
        net.elect(2);
        for (int i = 0; i < 5; i++) {
            net.propose(2, "new" + i);
        }
        net.stabilize();
        net.heal();
        int before = net.delivered.size();
        net.tickAll(3);
        long rejections = net.delivered.subList(before, net.delivered.size()).stream()
                .filter(m -> m instanceof RaftMessage.AppendResponse r && r.reject()).count();
        assertThat(rejections).as("one term skipped per round trip, not one entry").isLessThanOrEqualTo(2);
        assertThat(net.appliedData(1)).containsExactly("new0", "new1", "new2", "new3", "new4");
    }

    @Test
    void replication_proposalsBetweenReadys_areBatchedIntoOneAppendPerFollower() {
        RaftNetwork net = stableGroup(3, 14);
        for (int i = 0; i < 10; i++) {
            net.node(1).propose(("p" + i).getBytes());
        }
        net.handleReadies(id(1));
        long appends = net.pending().stream().filter(m -> m instanceof RaftMessage.Append a && !a.entries().isEmpty()).count();
        assertThat(appends).isEqualTo(2);
        net.stabilize();
        assertThat(net.appliedData(2)).hasSize(10);
    }

    @Test
    void replication_pipelining_stopsAtMaxInflightUntilAcknowledged() {
        RaftNetwork net = new RaftNetwork(15).tune(b -> b.maxInflightAppends(2)).start(2);
        net.elect(1);
        for (int i = 0; i < 5; i++) {
            net.propose(1, "p" + i);                      // one Ready, so one append, per proposal
        }
        long toNode2 = net.pending().stream().filter(m -> m instanceof RaftMessage.Append a && !a.entries().isEmpty()).count();
        assertThat(toNode2).isEqualTo(2);
        net.stabilize();
        assertThat(net.appliedData(2)).hasSize(5);
    }

    @Test
    void rejoiningFollower_afterACrash_catchesUpFromTheLeadersLog() {
        RaftNetwork net = stableGroup(3, 16);
        net.crash(3);
        for (int i = 0; i < 30; i++) {
            net.propose(1, "w" + i);
        }
        net.stabilize();
        net.restart(3);
        net.tickAll(3);
        assertThat(net.appliedData(3)).hasSize(30).endsWith("w29");
        assertThat(net.node(3).status().commit()).isEqualTo(net.node(1).status().commit());
    }

    @Test
    void duplicatedAndReplayedMessages_changeNothing() {
        RaftNetwork net = stableGroup(3, 17);
        net.propose(1, "once");
        net.stabilize();
        java.util.List<RaftMessage> all = java.util.List.copyOf(net.delivered);
        for (RaftMessage m : all) {
            net.nodes.get(m.to()).step(m);              // every message again, late
            net.handleReadies(m.to());
        }
        net.stabilize();
        for (int n = 1; n <= 3; n++) {
            assertThat(net.appliedData(n)).containsExactly("once");
        }
        assertThat(net.leader()).isEqualTo(id(1));
    }

    @Test
    void leaseRead_deposedLeaderThatHasNotYetSteppedDown_doesNotAnswerFromItsLease() {
        int windows = 0;
        for (long seed = 1; seed <= 30; seed++) {
            RaftNetwork net = new RaftNetwork(seed).tune(b -> b.readMode(RaftConfig.ReadMode.LEASE)).start(5);
            net.tickAll(40);
            NodeId old = net.leader();
            int oldN = (int) old.low();
            net.partition(Set.of(oldN));
            NodeId fresh = null;
            for (int t = 0; t < 60 && fresh == null; t++) {
                net.tickAll(1);
                for (RaftNode node : net.nodes.values()) {
                    if (!node.id().equals(old) && node.status().role() == Role.LEADER) {
                        fresh = node.id();
                    }
                }
            }
            assertThat(fresh).as("seed %d: the majority elects a new leader", seed).isNotNull();
            if (net.node(oldN).status().role() == Role.LEADER) {
                windows++;                                 // two leaders, different terms: the lease must be gone
                net.node(oldN).readIndex(99);
                net.handleReadies(old);
                assertThat(net.reads.get(old)).as("seed %d: stale lease read", seed).isEmpty();
            }
        }
        assertThat(windows).as("some seeds reach the window where both believe they lead").isPositive();
    }

    @Test
    void readyDiscipline_aVoteIsHandedOutTogetherWithTheHardStateThatRecordsIt() {
        RaftNetwork net = new RaftNetwork(19).start(3);
        RaftNode voter = net.node(2);
        long term = voter.status().term();
        voter.step(new RaftMessage.RequestVote(id(1), id(2), term + 1, 0, 0, false));
        Ready rd = voter.ready();
        assertThat(rd.messages()).containsExactly(new RaftMessage.VoteResponse(id(2), id(1), term + 1, false));
        assertThat(rd.hardState()).as("persist the vote before sending it")
                .contains(new HardState(term + 1, id(1), voter.status().commit()));
        assertThat(rd.mustSync()).isTrue();
        voter.advance(rd);
    }

    @Test
    void readyDiscipline_appendAcknowledgementIsHandedOutWithTheEntriesItAcknowledges() {
        RaftNetwork net = stableGroup(3, 20);
        net.node(1).propose("x".getBytes());
        Ready leaderReady = net.node(1).ready();
        RaftMessage.Append append = (RaftMessage.Append) leaderReady.allMessages().stream()
                .filter(m -> m.to().equals(id(2))).findFirst().orElseThrow();
        net.node(1).advance(leaderReady);
        net.node(2).step(append);
        Ready rd = net.node(2).ready();
        assertThat(rd.entries()).extracting(Entry::index).contains(append.entries().getLast().index());
        assertThat(rd.messages()).anyMatch(m -> m instanceof RaftMessage.AppendResponse r && !r.reject()
                && r.index() == append.entries().getLast().index());
        net.node(2).advance(rd);
    }

    @Test
    void ready_secondCallBeforeAdvance_isAMisuse() {
        RaftNetwork net = stableGroup(3, 21);
        net.node(1).propose("x".getBytes());
        net.node(1).ready();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.node(1).ready())
                .isInstanceOf(IllegalStateException.class);
    }
}
