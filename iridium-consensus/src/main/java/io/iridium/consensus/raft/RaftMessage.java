package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.List;

/**
 * The messages Raft nodes exchange. Every message names its sender, its receiver and the
 * sender's term; a receiver that sees a higher term steps down to it first (except for
 * pre-votes, which never raise a term).
 *
 * <pre>
 *   election              replication               snapshot               reads / transfer
 *   PreVote  ──►          Append  ──►                InstallSnapshot ──►    ReadIndex ──► (to leader)
 *   ◄── PreVoteResponse   ◄── AppendResponse         ◄── SnapshotResponse   ◄── ReadIndexResponse
 *   RequestVote ──►       Heartbeat ──►                                     TimeoutNow ──► (to transferee)
 *   ◄── VoteResponse      ◄── HeartbeatResponse
 * </pre>
 */
public sealed interface RaftMessage permits RaftMessage.PreVote, RaftMessage.PreVoteResponse,
        RaftMessage.RequestVote, RaftMessage.VoteResponse, RaftMessage.Append, RaftMessage.AppendResponse,
        RaftMessage.Heartbeat, RaftMessage.HeartbeatResponse, RaftMessage.InstallSnapshot,
        RaftMessage.SnapshotResponse, RaftMessage.TimeoutNow, RaftMessage.ReadIndex,
        RaftMessage.ReadIndexResponse {

    /**
     * The sender.
     *
     * @return its id
     */
    NodeId from();

    /**
     * The receiver.
     *
     * @return its id
     */
    NodeId to();

    /**
     * The sender's term.
     *
     * @return its term (for a pre-vote, the term it would campaign in)
     */
    long term();

    /**
     * Would the receiver vote for the sender in {@code term} if it campaigned? Sent without
     * raising the sender's term, so a partitioned node cannot disrupt a healthy group.
     *
     * @param from      the pre-candidate
     * @param to        the voter
     * @param term      the pre-candidate's term plus one
     * @param lastIndex the index of the pre-candidate's last entry
     * @param lastTerm  the term of that entry
     */
    record PreVote(NodeId from, NodeId to, long term, long lastIndex, long lastTerm) implements RaftMessage {
    }

    /**
     * An answer to {@link PreVote}.
     *
     * @param from   the voter
     * @param to     the pre-candidate
     * @param term   the pre-vote's term when granted, the voter's term when rejected
     * @param reject whether the vote is refused
     */
    record PreVoteResponse(NodeId from, NodeId to, long term, boolean reject) implements RaftMessage {
    }

    /**
     * A request for a vote in {@code term}.
     *
     * @param from      the candidate
     * @param to        the voter
     * @param term      the candidate's term
     * @param lastIndex the index of the candidate's last entry
     * @param lastTerm  the term of that entry
     * @param transfer  whether the election follows a leadership transfer, which voters honour
     *                  even while they believe the old leader's lease holds
     */
    record RequestVote(NodeId from, NodeId to, long term, long lastIndex, long lastTerm, boolean transfer)
            implements RaftMessage {
    }

    /**
     * An answer to {@link RequestVote}.
     *
     * @param from   the voter
     * @param to     the candidate
     * @param term   the voter's term
     * @param reject whether the vote is refused
     */
    record VoteResponse(NodeId from, NodeId to, long term, boolean reject) implements RaftMessage {
    }

    /**
     * Entries to append after {@code (prevIndex, prevTerm)}.
     *
     * @param from      the leader
     * @param to        the follower
     * @param term      the leader's term
     * @param prevIndex the index just before {@code entries}
     * @param prevTerm  the term at {@code prevIndex}
     * @param entries   consecutive entries, possibly none (a probe)
     * @param commit    the leader's commit index
     */
    record Append(NodeId from, NodeId to, long term, long prevIndex, long prevTerm, List<Entry> entries, long commit)
            implements RaftMessage {
        /** Copies the entries. */
        public Append {
            entries = List.copyOf(entries);
        }
    }

    /**
     * An answer to {@link Append}. Accepted: {@code index} is the follower's last matching
     * index. Rejected: {@code index} is the rejected {@code prevIndex}, and
     * {@code (hintIndex, hintTerm)} is the follower's largest entry with a term no greater than
     * {@code prevTerm}, so the leader can skip a whole conflicting term in one round trip.
     *
     * @param from      the follower
     * @param to        the leader
     * @param term      the follower's term
     * @param reject    whether the entries did not match
     * @param index     see above
     * @param hintIndex the conflict hint's index (rejections only)
     * @param hintTerm  the conflict hint's term (rejections only)
     */
    record AppendResponse(NodeId from, NodeId to, long term, boolean reject, long index, long hintIndex,
                          long hintTerm) implements RaftMessage {
    }

    /**
     * The leader's periodic sign of life, also used to confirm leadership for reads.
     *
     * @param from     the leader
     * @param to       the follower
     * @param term     the leader's term
     * @param commit   the leader's commit index, capped at what the follower is known to hold
     * @param round    a number that grows with every heartbeat broadcast
     * @param sentTick the leader's tick count when it sent this heartbeat (echoed for leases)
     */
    record Heartbeat(NodeId from, NodeId to, long term, long commit, long round, long sentTick)
            implements RaftMessage {
    }

    /**
     * An answer to {@link Heartbeat}, echoing its round and tick.
     *
     * @param from     the follower
     * @param to       the leader
     * @param term     the follower's term
     * @param round    the heartbeat's round
     * @param sentTick the heartbeat's tick
     */
    record HeartbeatResponse(NodeId from, NodeId to, long term, long round, long sentTick) implements RaftMessage {
    }

    /**
     * One chunk of a snapshot. Chunks are sent one at a time, each after the previous one is
     * acknowledged; {@code offset} 0 starts a new transfer.
     *
     * @param from     the leader
     * @param to       the follower
     * @param term     the leader's term
     * @param metadata the snapshot's position and configuration
     * @param offset   where {@code chunk} starts in the snapshot data
     * @param chunk    the bytes
     * @param done     whether this is the last chunk
     */
    record InstallSnapshot(NodeId from, NodeId to, long term, Snapshot.Metadata metadata, long offset,
                           byte[] chunk, boolean done) implements RaftMessage {
        @Override
        public String toString() {
            return "InstallSnapshot[from=" + from + ", to=" + to + ", term=" + term + ", metadata=" + metadata
                    + ", offset=" + offset + ", chunk=" + chunk.length + " bytes, done=" + done + "]";
        }
    }

    /**
     * An answer to {@link InstallSnapshot}.
     *
     * @param from       the follower
     * @param to         the leader
     * @param term       the follower's term
     * @param index      the snapshot's index
     * @param nextOffset the offset the follower expects next
     * @param done       whether the follower has installed (or already had) the snapshot
     */
    record SnapshotResponse(NodeId from, NodeId to, long term, long index, long nextOffset, boolean done)
            implements RaftMessage {
    }

    /**
     * Tells a caught-up transferee to campaign at once.
     *
     * @param from the leader
     * @param to   the transferee
     * @param term the leader's term
     */
    record TimeoutNow(NodeId from, NodeId to, long term) implements RaftMessage {
    }

    /**
     * A follower asks the leader for a read index on behalf of its client.
     *
     * @param from      the follower
     * @param to        the leader
     * @param term      the follower's term
     * @param requestId the follower's request id
     * @param lease     whether the leader may answer from its lease ({@link RaftConfig.ReadMode#LEASE})
     *                  instead of confirming leadership with a quorum round; honoured only by a
     *                  leader configured for leases
     */
    record ReadIndex(NodeId from, NodeId to, long term, long requestId, boolean lease) implements RaftMessage {
        /**
         * A request confirmed by a quorum round (no lease).
         *
         * @param from      the follower
         * @param to        the leader
         * @param term      the follower's term
         * @param requestId the follower's request id
         */
        public ReadIndex(NodeId from, NodeId to, long term, long requestId) {
            this(from, to, term, requestId, false);
        }
    }

    /**
     * The leader's confirmed read index for a follower's request.
     *
     * @param from      the leader
     * @param to        the follower
     * @param term      the leader's term
     * @param index     the read index
     * @param requestId the follower's request id
     */
    record ReadIndexResponse(NodeId from, NodeId to, long term, long index, long requestId) implements RaftMessage {
    }
}
