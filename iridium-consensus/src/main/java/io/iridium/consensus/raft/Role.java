package io.iridium.consensus.raft;

/** The role of a node in its current term. */
public enum Role {
    /** Follows a leader, or waits for one. */
    FOLLOWER,
    /** Asks for pre-votes without raising its term (Raft thesis, section 9.6). */
    PRE_CANDIDATE,
    /** Has raised its term and asks for votes. */
    CANDIDATE,
    /** Replicates its log and commits entries. */
    LEADER
}
