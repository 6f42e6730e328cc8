package io.iridium.data.replication;

/**
 * A read or write at {@link Consistency#MAJORITY} or {@link Consistency#ALL} did not hear from
 * enough replicas before its timeout. The typed failure of the replicator's futures.
 *
 * <p>For a write, the update has applied locally and at the {@link #reached()} replicas that
 * acknowledged, and will keep spreading by gossip: the outcome is "not confirmed", not "undone".
 */
public final class ConsistencyNotReachedException extends RuntimeException {

    private final Consistency consistency;
    private final int reached;
    private final int required;

    /** A failure of an operation at {@code consistency} that reached {@code reached} of {@code required}. */
    public ConsistencyNotReachedException(String operation, Consistency consistency, int reached, int required) {
        super(operation + " at " + consistency + " reached " + reached + " of the " + required
                + " replicas it needs before its timeout");
        this.consistency = consistency;
        this.reached = reached;
        this.required = required;
    }

    /** The level asked for. */
    public Consistency consistency() {
        return consistency;
    }

    /** How many replicas (this one included) took part in time. */
    public int reached() {
        return reached;
    }

    /** How many replicas the level needed. */
    public int required() {
        return required;
    }
}
