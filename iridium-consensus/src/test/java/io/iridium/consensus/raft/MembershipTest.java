package io.iridium.consensus.raft;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.iridium.consensus.raft.RaftNetwork.id;
import static org.assertj.core.api.Assertions.assertThat;

/** Single-server membership changes, learners, and the leader's own-term commit barrier. */
class MembershipTest {

    private static RaftNetwork stableGroup(int size, long seed) {
        RaftNetwork net = new RaftNetwork(seed).start(size);
        net.elect(1);
        return net;
    }

    private static ProposeResult change(RaftNetwork net, int leader, ConfChange.Type type, int node) {
        ProposeResult result = net.node(leader).proposeConfChange(new ConfChange(type, id(node)));
        net.handleReadies(id(leader));
        net.stabilize();
        return result;
    }

    @Test
    void addLearner_receivesTheLogButDoesNotCountTowardsCommit() {
        RaftNetwork net = stableGroup(3, 1);
        net.add(id(4), null);
        assertThat(change(net, 1, ConfChange.Type.ADD_LEARNER, 4)).isInstanceOf(ProposeResult.Accepted.class);
        net.propose(1, "a");
        net.stabilize();
        assertThat(net.appliedData(4)).containsExactly("a");
        assertThat(net.node(4).status().membership().learners()).containsExactly(id(4));
        net.isolate(2);
        net.isolate(3);
        net.propose(1, "b");
        net.tickAll(2);
        assertThat(net.appliedData(4)).as("a learner's ack does not make a quorum").containsExactly("a");
    }

    @Test
    void joiningNode_learnsTheFoundingConfiguration_notJustItsOwnAddition() {
        RaftNetwork net = stableGroup(3, 10);
        net.propose(1, "before");
        net.stabilize();
        net.add(id(4), null);
        assertThat(change(net, 1, ConfChange.Type.ADD_LEARNER, 4)).isInstanceOf(ProposeResult.Accepted.class);
        net.stabilize();
        assertThat(net.node(4).status().membership().voters())
                .as("the founders' configuration lives in their index-0 snapshot, which the joiner must receive")
                .containsExactlyInAnyOrder(id(1), id(2), id(3));
        assertThat(net.appliedData(4)).containsExactly("before");
        assertThat(change(net, 1, ConfChange.Type.ADD_VOTER, 4)).isInstanceOf(ProposeResult.Accepted.class);
        net.stabilize();
        assertThat(net.node(4).status().membership().voters()).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
    }

    @Test
    void learner_neverCampaigns() {
        RaftNetwork net = stableGroup(3, 2);
        net.add(id(4), null);
        change(net, 1, ConfChange.Type.ADD_LEARNER, 4);
        net.tickAll(1);
        net.isolate(4);
        net.tickAll(50);
        assertThat(net.node(4).status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node(4).status().term()).isEqualTo(net.node(1).status().term());
    }

    @Test
    void promoteLearner_thatHasNotCaughtUp_isRejected_andAcceptedOnceItHas() {
        RaftNetwork net = new RaftNetwork(3).tune(b -> b.learnerCatchUpEntries(5)).start(3);
        net.elect(1);
        net.add(id(4), null);
        change(net, 1, ConfChange.Type.ADD_LEARNER, 4);
        net.isolate(4);
        for (int i = 0; i < 20; i++) {
            net.propose(1, "x" + i);
        }
        net.stabilize();
        assertThat(change(net, 1, ConfChange.Type.ADD_VOTER, 4)).isInstanceOf(ProposeResult.Rejected.class);
        net.heal();
        net.tickAll(3);
        assertThat(change(net, 1, ConfChange.Type.ADD_VOTER, 4)).isInstanceOf(ProposeResult.Accepted.class);
        net.tickAll(1);
        assertThat(net.node(1).status().membership().voters()).contains(id(4));
        assertThat(net.node(4).status().membership().voters()).contains(id(4));
    }

    @Test
    void secondChange_whileTheFirstIsNotApplied_isRejected() {
        RaftNetwork net = stableGroup(3, 4);
        net.add(id(4), null);
        net.add(id(5), null);
        net.isolate(2);
        net.isolate(3);                                   // the first change cannot commit
        assertThat(net.node(1).proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, id(4))))
                .isInstanceOf(ProposeResult.Accepted.class);
        assertThat(net.node(1).proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, id(5))))
                .isInstanceOf(ProposeResult.Rejected.class);
        net.handleReadies(id(1));
        net.heal();
        net.tickAll(2);
        assertThat(change(net, 1, ConfChange.Type.ADD_LEARNER, 5)).isInstanceOf(ProposeResult.Accepted.class);
    }

    @Test
    void newLeader_cannotChangeMembershipBeforeCommittingAnEntryOfItsTerm() {
        RaftNetwork net = new RaftNetwork(5).tune(b -> b.checkQuorum(false)).start(3);
        net.elect(1);
        net.crash(1);
        net.drop(m -> m instanceof RaftMessage.AppendResponse);   // its empty entry cannot commit
        net.elect(2);
        assertThat(net.node(2).status().role()).isEqualTo(Role.LEADER);
        assertThat(net.node(2).proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, id(1))))
                .as("the own-term barrier").isInstanceOf(ProposeResult.Rejected.class);
        net.heal();
        net.tickAll(1);
        assertThat(change(net, 2, ConfChange.Type.REMOVE_NODE, 1)).isInstanceOf(ProposeResult.Accepted.class);
    }

    @Test
    void removeFollower_shrinksTheQuorum() {
        RaftNetwork net = stableGroup(4, 6);
        change(net, 1, ConfChange.Type.REMOVE_NODE, 4);
        net.tickAll(1);
        net.crash(4);
        net.crash(3);                                     // 2 of the remaining 3: still a quorum
        net.propose(1, "still-commits");
        net.tickAll(2);
        assertThat(net.appliedData(2)).containsExactly("still-commits");
    }

    @Test
    void removeLeader_leaderStepsDownAndTheOthersElectANewOne() {
        RaftNetwork net = stableGroup(3, 7);
        assertThat(change(net, 1, ConfChange.Type.REMOVE_NODE, 1)).isInstanceOf(ProposeResult.Accepted.class);
        net.tickAll(1);
        assertThat(net.node(1).status().role()).isEqualTo(Role.FOLLOWER);
        net.tickAll(40);
        assertThat(net.leader()).isIn(id(2), id(3));
        net.propose((int) net.leader().low(), "after");
        net.tickAll(2);
        assertThat(net.appliedData(2)).containsExactly("after");
        assertThat(net.node(2).status().membership().voters()).containsExactlyInAnyOrder(id(2), id(3));
    }

    @Test
    void addVoter_toThreeNodeGroup_thenLosingTwoOriginals_stopsCommits() {
        RaftNetwork net = stableGroup(3, 8);
        net.add(id(4), null);
        change(net, 1, ConfChange.Type.ADD_LEARNER, 4);
        net.tickAll(1);
        change(net, 1, ConfChange.Type.ADD_VOTER, 4);
        net.tickAll(1);
        assertThat(net.node(1).status().membership().voters()).hasSize(4);
        net.partition(Set.of(1, 2));                      // 2 of 4 is not a majority
        net.propose(1, "blocked");
        net.stabilize();
        assertThat(net.appliedData(1)).doesNotContain("blocked");
    }

    @Test
    void removedNodeThatNeverLearnedOfItsRemoval_doesNotDisruptTheGroup() {
        RaftNetwork net = stableGroup(4, 9);
        net.isolate(4);
        assertThat(change(net, 1, ConfChange.Type.REMOVE_NODE, 4)).isInstanceOf(ProposeResult.Accepted.class);
        net.tickAll(2);
        assertThat(net.node(1).status().membership().voters()).doesNotContain(id(4));
        assertThat(net.node(4).status().membership().voters()).as("it never heard").contains(id(4));
        long term = net.node(1).status().term();
        net.heal();
        net.tickAll(100);                                 // node 4 keeps timing out and asking for pre-votes
        assertThat(net.leader()).isEqualTo(id(1));
        assertThat(net.node(1).status().term()).isEqualTo(term);
        net.propose(1, "still-fine");
        net.tickAll(2);
        assertThat(net.appliedData(2)).containsExactly("still-fine");
    }
}
