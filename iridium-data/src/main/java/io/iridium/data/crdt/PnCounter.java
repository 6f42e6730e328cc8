package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Collection;
import java.util.Objects;

/**
 * A counter that goes up and down: two {@link GCounter}s, one of increments and one of
 * decrements; the value is their difference and merge merges each.
 *
 * <p>Departed replicas are retired and forgotten exactly as in {@link GCounter} (same
 * preconditions P1–P3, same invariant): {@link #retire} folds the departed replica's increments
 * and decrements into the heir's, so the value is preserved, and {@link #forget} drops the
 * tombstones once every replica has the retirement.
 *
 * <p>An immutable value; mutators return deltas ({@code state.merge(delta)} applies them).
 */
public final class PnCounter implements Crdt<PnCounter> {

    private static final PnCounter EMPTY = new PnCounter(GCounter.empty(), GCounter.empty());
    private static final int TAG = 0x11;

    private final GCounter increments;
    private final GCounter decrements;

    private PnCounter(GCounter increments, GCounter decrements) {
        this.increments = increments;
        this.decrements = decrements;
    }

    /** The counter at zero. */
    public static PnCounter empty() {
        return EMPTY;
    }

    /** Increments minus decrements. */
    public long value() {
        return Math.subtractExact(increments.value(), decrements.value());
    }

    /** The grow-only counter of increments. */
    public GCounter increments() {
        return increments;
    }

    /** The grow-only counter of decrements. */
    public GCounter decrements() {
        return decrements;
    }

    /**
     * The delta that adds {@code amount} (of either sign) at {@code replica}; call it only on
     * {@code replica}'s own state.
     */
    public PnCounter add(ReplicaId replica, long amount) {
        Objects.requireNonNull(replica, "replica");
        if (amount >= 0) {
            return new PnCounter(increments.increment(replica, amount), decrements.increment(replica, 0));
        }
        if (amount == Long.MIN_VALUE) {
            throw new ArithmeticException("cannot negate " + amount);
        }
        return new PnCounter(increments.increment(replica, 0), decrements.increment(replica, -amount));
    }

    /** The delta that adds 1 at {@code replica}. */
    public PnCounter increment(ReplicaId replica) {
        return add(replica, 1);
    }

    /** The delta that subtracts 1 at {@code replica}. */
    public PnCounter decrement(ReplicaId replica) {
        return add(replica, -1);
    }

    /**
     * The delta that retires {@code departed} into {@code heir}, on both halves; see
     * {@link GCounter#retire} for the preconditions.
     */
    public PnCounter retire(ReplicaId departed, ReplicaId heir) {
        return new PnCounter(increments.retire(departed, heir), decrements.retire(departed, heir));
    }

    /** This state without the tombstones of {@code departed}; see {@link GCounter#forget}. */
    public PnCounter forget(Collection<ReplicaId> departed) {
        return new PnCounter(increments.forget(departed), decrements.forget(departed));
    }

    @Override
    public PnCounter merge(PnCounter other) {
        return new PnCounter(increments.merge(other.increments), decrements.merge(other.decrements));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PnCounter other && increments.equals(other.increments) && decrements.equals(other.decrements);
    }

    @Override
    public int hashCode() {
        return increments.hashCode() * 31 + decrements.hashCode();
    }

    @Override
    public String toString() {
        return "PnCounter{" + value() + ", +" + increments + ", -" + decrements + "}";
    }

    /**
     * The binary encoding: {@code 0x11 | version 1 | increments | decrements}, each a G-Counter
     * body (see {@link GCounter#codec()}) without its header.
     */
    public static Codec<PnCounter> codec() {
        return CODEC;
    }

    private static final Codec<PnCounter> CODEC = new Codec<>() {
        @Override
        public void write(PnCounter value, DataWriter out) {
            out.writeByte(TAG).writeByte(Encoding.VERSION);
            GCounter.writeBody(value.increments, out);
            GCounter.writeBody(value.decrements, out);
        }

        @Override
        public PnCounter read(DataReader in) {
            in.readHeader(TAG, Encoding.VERSION, "PN-Counter");
            PnCounter counter = new PnCounter(GCounter.readBody(in), GCounter.readBody(in));
            counter.value();
            return counter;
        }
    };
}
