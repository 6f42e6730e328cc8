package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.Optional;

/**
 * A snapshot of a node's volatile state, for tests, metrics and status pages.
 *
 * @param id            this node
 * @param role          its role
 * @param term          its current term
 * @param leader        the leader it follows (itself when leading), if known
 * @param commit        its commit index
 * @param applied       the last index handed to the application and advanced
 * @param firstIndex    the first index still in its log (after the snapshot)
 * @param lastIndex     the last index in its log
 * @param membership    the configuration it has applied
 * @param transferee    the node leadership is being transferred to, if any
 */
public record Status(NodeId id, Role role, long term, Optional<NodeId> leader, long commit, long applied,
                     long firstIndex, long lastIndex, Membership membership, Optional<NodeId> transferee) {
}
