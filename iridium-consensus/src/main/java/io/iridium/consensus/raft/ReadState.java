package io.iridium.consensus.raft;

/**
 * A confirmed linearizable read: once the local state machine has applied {@code index}, a read
 * served from it reflects every write acknowledged before {@link RaftNode#readIndex(long)} was
 * called.
 *
 * @param index     the commit index the read must wait for
 * @param requestId the caller's id from {@link RaftNode#readIndex(long)}
 */
public record ReadState(long index, long requestId) {
}
