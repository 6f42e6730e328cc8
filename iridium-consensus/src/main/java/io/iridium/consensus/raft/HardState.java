package io.iridium.consensus.raft;

import io.iridium.NodeId;

/**
 * The state a node must persist before it sends any message of the same {@link Ready}.
 *
 * @param term   the current term
 * @param vote   whom this node voted for in {@code term}, or {@code null} for nobody
 * @param commit the highest index known to be committed
 */
public record HardState(long term, NodeId vote, long commit) {

    /** The state of a node that has never run. */
    public static final HardState EMPTY = new HardState(0, null, 0);

    /** Validates the fields. */
    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException("negative term or commit");
        }
    }
}
