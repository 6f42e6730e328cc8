package io.iridium.data.replication;

/**
 * How many replicas a read or write must reach before it completes.
 *
 * <ul>
 *   <li>{@link #LOCAL}: this replica only. Writes apply at once and spread afterwards as batched
 *       deltas; reads return the local state. Always available, even alone in a partition.
 *   <li>{@link #MAJORITY}: a strict majority of the replica set (this replica included) has
 *       merged the write, or has answered the read (whose answers are merged). A majority write
 *       followed by a majority read always sees the write, since any two majorities meet.
 *   <li>{@link #ALL}: every replica of the set.
 * </ul>
 * A level other than LOCAL fails with {@link ConsistencyNotReachedException} when too few
 * replicas answer within its timeout; the write has still applied locally (and at those that
 * answered) and will still spread: the failure says the guarantee was not reached, not that the
 * write was undone.
 */
public enum Consistency {
    /** This replica only. */
    LOCAL,
    /** A strict majority of the replica set. */
    MAJORITY,
    /** Every replica of the set. */
    ALL;

    /** How many replicas, this one included, must take part out of {@code replicaCount}. */
    public int required(int replicaCount) {
        return switch (this) {
            case LOCAL -> 1;
            case MAJORITY -> replicaCount / 2 + 1;
            case ALL -> replicaCount;
        };
    }
}
