package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.Objects;

/**
 * One single-server membership change, carried in the log as {@link Payload.Change}.
 *
 * <p>Changes take effect on each node when the entry carrying them is applied (when the
 * {@link Ready} that hands it out is {@linkplain RaftNode#advance(Ready) advanced}). A leader
 * accepts a change only when the previous one has been applied and it has committed an entry of
 * its own term, so at most one change is ever in flight and any two successive configurations
 * share a majority.
 *
 * @param type what happens to {@code node}
 * @param node the server added, promoted, demoted or removed
 */
public record ConfChange(Type type, NodeId node) {

    /** The kinds of single-server change. */
    public enum Type {
        /** Add a voter, or promote a learner to voter (refused until the learner has caught up). */
        ADD_VOTER,
        /** Add a non-voting learner, or demote a voter to learner. */
        ADD_LEARNER,
        /** Remove a voter or learner. */
        REMOVE_NODE
    }

    /** Validates the fields. */
    public ConfChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(node, "node");
    }
}
