package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.Optional;

/**
 * The outcome of {@link RaftNode#propose(byte[])} and friends: a value, never an exception.
 * An accepted proposal is only appended to the leader's log; it is committed when an entry with
 * the same index and term is handed out in {@link Ready#committedEntries()}, and it was lost if
 * a different entry is committed at that index.
 */
public sealed interface ProposeResult permits ProposeResult.Accepted, ProposeResult.NotLeader, ProposeResult.Rejected {

    /**
     * Appended to the leader's log.
     *
     * @param index where
     * @param term  in which term
     */
    record Accepted(long index, long term) implements ProposeResult {
    }

    /**
     * This node is not the leader.
     *
     * @param leader the leader it knows of, if any
     */
    record NotLeader(Optional<NodeId> leader) implements ProposeResult {
    }

    /**
     * The leader refused the proposal.
     *
     * @param reason why, for people
     */
    record Rejected(String reason) implements ProposeResult {
    }
}
