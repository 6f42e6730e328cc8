package io.iridium.data.replication;

/**
 * What one {@link ReplicaCore} has done since it started: local updates, traffic it originated,
 * states merged, and what it had to drop. Owned and updated by the core's single owner; read
 * it from the same thread (or under the same lock).
 */
public final class ReplicaStats {

    long localUpdates;
    long deltaBatchesSent;
    long statesSent;
    long digestsSent;
    long writesSent;
    long writesConfirmed;
    long operationsFailed;
    long messagesReceived;
    long statesMerged;
    long unknownTypes;
    long typeMismatches;
    long corruptStates;
    long handoffsAccepted;
    long handoffsRefused;
    long handoffsConfirmed;
    long handoffsFailed;
    long tombstonesForgotten;
    long misdirectedReplies;
    long spoofedHandoffs;
    long handoffsIgnored;
    long statesTooFarAhead;

    ReplicaStats() {
    }

    /** Updates made at this replica. */
    public long localUpdates() {
        return localUpdates;
    }

    /** Delta batches broadcast. */
    public long deltaBatchesSent() {
        return deltaBatchesSent;
    }

    /** Key states sent in delta batches, digest replies and pushes. */
    public long statesSent() {
        return statesSent;
    }

    /** Anti-entropy rounds started. */
    public long digestsSent() {
        return digestsSent;
    }

    /** Write messages sent for MAJORITY and ALL writes, resends included. */
    public long writesSent() {
        return writesSent;
    }

    /** MAJORITY and ALL writes that reached their level. */
    public long writesConfirmed() {
        return writesConfirmed;
    }

    /** MAJORITY and ALL writes and reads that timed out. */
    public long operationsFailed() {
        return operationsFailed;
    }

    /** Messages taken in from other replicas. */
    public long messagesReceived() {
        return messagesReceived;
    }

    /** Remote states and deltas merged. */
    public long statesMerged() {
        return statesMerged;
    }

    /** Remote states dropped because their type is not registered here, a type mismatch, or corrupt. */
    public long dropped() {
        return unknownTypes + typeMismatches + corruptStates;
    }

    /** Hand-offs of a leaving replica's counter entries this replica accepted as heir. */
    public long handoffsAccepted() {
        return handoffsAccepted;
    }

    /** Hand-offs this replica refused because it was leaving itself. */
    public long handoffsRefused() {
        return handoffsRefused;
    }

    /** Whether this replica's own hand-off was confirmed by an heir (0 or 1). */
    public long handoffsConfirmed() {
        return handoffsConfirmed;
    }

    /** Whether this replica's own hand-off found no heir in time (0 or 1). */
    public long handoffsFailed() {
        return handoffsFailed;
    }

    /** Counter states compacted by forgetting the tombstones of departed replicas. */
    public long tombstonesForgotten() {
        return tombstonesForgotten;
    }

    /** Read replies that named another key than the read they answered, dropped unmerged. */
    public long misdirectedReplies() {
        return misdirectedReplies;
    }

    /** Hand-offs whose named sender was not the replica that sent them, dropped. */
    public long spoofedHandoffs() {
        return spoofedHandoffs;
    }

    /**
     * Hand-offs ignored because their sender is known to have left through another heir (or was
     * removed by an operator): accepting would make it a second heir.
     */
    public long handoffsIgnored() {
        return handoffsIgnored;
    }

    /**
     * Last-writer-wins states stamped further ahead of local wall time than the maximum skew,
     * dropped unmerged (anti-entropy offers them again, and they merge once within the limit).
     */
    public long statesTooFarAhead() {
        return statesTooFarAhead;
    }

    @Override
    public String toString() {
        return "ReplicaStats{updates=" + localUpdates + ", deltaBatches=" + deltaBatchesSent + ", statesSent="
                + statesSent + ", digests=" + digestsSent + ", writesSent=" + writesSent + ", confirmed="
                + writesConfirmed + ", failed=" + operationsFailed + ", received=" + messagesReceived
                + ", merged=" + statesMerged + ", dropped=" + dropped() + ", handoffs=" + handoffsAccepted + "/"
                + handoffsRefused + ", forgotten=" + tombstonesForgotten + ", misdirected=" + misdirectedReplies + ", spoofed="
                + spoofedHandoffs + ", handoffsIgnored=" + handoffsIgnored + ", tooFarAhead=" + statesTooFarAhead
                + "}";
    }
}
