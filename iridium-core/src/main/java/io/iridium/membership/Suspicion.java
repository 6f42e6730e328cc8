package io.iridium.membership;

import io.iridium.NodeId;
import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's dynamic suspicion timer for one suspected member at one incarnation.
 *
 * <p>A suspicion starts at {@code maxTimeout} and shrinks logarithmically as independent
 * suspecters confirm it: after {@code c} of the {@code required} confirmations the timeout is
 * {@code max - (max - min) × log(c + 1) / log(required + 1)}, never below {@code minTimeout}.
 * The originator and each confirmer count once; confirmations beyond {@code required} change
 * nothing. The deadline is always {@code startedAt + timeout(c)}, so it only moves earlier.
 */
final class Suspicion {

    private final long incarnation;
    private final long startedAt;
    private final int required;
    private final long minTimeout;
    private final long maxTimeout;
    private final Set<NodeId> suspecters = new HashSet<>();
    private int confirmations;
    private long deadline;

    Suspicion(NodeId originator, long incarnation, long startedAt, int required, long minTimeout, long maxTimeout) {
        this.incarnation = incarnation;
        this.startedAt = startedAt;
        this.required = required;
        this.minTimeout = minTimeout;
        this.maxTimeout = Math.max(minTimeout, maxTimeout);
        this.suspecters.add(originator);
        this.deadline = startedAt + timeout();
    }

    long incarnation() {
        return incarnation;
    }

    long deadline() {
        return deadline;
    }

    int confirmations() {
        return confirmations;
    }

    /** Counts {@code suspecter}; true when it was new and still needed (the caller re-gossips). */
    boolean confirm(NodeId suspecter) {
        if (confirmations >= required || !suspecters.add(suspecter)) {
            return false;
        }
        confirmations++;
        deadline = startedAt + timeout();
        return true;
    }

    /** The current timeout for the confirmations seen so far. */
    long timeout() {
        if (required < 1) {
            return minTimeout;
        }
        double fraction = Math.log(confirmations + 1.0) / Math.log(required + 1.0);
        long raw = (long) Math.floor(maxTimeout - fraction * (maxTimeout - minTimeout));
        return Math.max(minTimeout, raw);
    }
}
