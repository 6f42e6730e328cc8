package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.Set;
import java.util.TreeSet;

/**
 * A configuration: who votes and who only learns. The sets are disjoint and immutable.
 *
 * @param voters   the servers whose acknowledgements count towards quorums
 * @param learners the servers that receive the log but neither vote nor count
 */
public record Membership(Set<NodeId> voters, Set<NodeId> learners) {

    /** No members: the state of a node that waits to be added to a group. */
    public static final Membership EMPTY = new Membership(Set.of(), Set.of());

    /** Copies and validates the sets; they iterate in id order, so every run iterates alike. */
    public Membership {
        voters = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        for (NodeId learner : learners) {
            if (voters.contains(learner)) {
                throw new IllegalArgumentException(learner + " is both voter and learner");
            }
        }
    }

    /**
     * A configuration of voters only.
     *
     * @param voters the voters
     * @return the configuration
     */
    public static Membership ofVoters(Set<NodeId> voters) {
        return new Membership(voters, Set.of());
    }

    /**
     * Whether a node is a member.
     *
     * @param node the node
     * @return whether it is a voter or learner
     */
    public boolean contains(NodeId node) {
        return voters.contains(node) || learners.contains(node);
    }

    /**
     * Every member.
     *
     * @return voters and learners, in id order
     */
    public Set<NodeId> all() {
        TreeSet<NodeId> all = new TreeSet<>(voters);
        all.addAll(learners);
        return all;
    }

    /**
     * The size of a majority.
     *
     * @return the number of voters that makes a majority
     */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /**
     * Applies a change.
     *
     * @param change the change
     * @return the configuration after it
     */
    public Membership apply(ConfChange change) {
        Set<NodeId> newVoters = new TreeSet<>(voters);
        Set<NodeId> newLearners = new TreeSet<>(learners);
        NodeId node = change.node();
        switch (change.type()) {
            case ADD_VOTER -> {
                newLearners.remove(node);
                newVoters.add(node);
            }
            case ADD_LEARNER -> {
                newVoters.remove(node);
                newLearners.add(node);
            }
            case REMOVE_NODE -> {
                newVoters.remove(node);
                newLearners.remove(node);
            }
        }
        return new Membership(newVoters, newLearners);
    }
}
