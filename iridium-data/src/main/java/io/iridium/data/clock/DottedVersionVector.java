package io.iridium.data.clock;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Objects;

/**
 * A dotted version vector (Preguiça, Baquero, Almeida, Fonte, Gonçalves 2012): the identity of
 * one write, its {@link #dot()}, together with the causal past the writer had seen,
 * {@link #past()}. It tags a sibling value in a store that keeps concurrent writes.
 *
 * <p>Unlike a plain version vector per value, a dotted version vector tells two concurrent
 * writes made through the same replica apart (each gets its own dot even though the replica's
 * version vector entry only grows), which prevents the "sibling explosion" and the false
 * overwrites of per-server version vectors. Comparing two of them is one lookup: {@code a}
 * happened before {@code b} exactly when {@code b}'s past contains {@code a}'s dot.
 *
 * <p><b>Invariant:</b> the dot is not part of its own past ({@code past.get(dot.replica()) <
 * dot.counter()}). An immutable value.
 *
 * @param dot  the write's own event
 * @param past every event the writer had seen when it wrote
 */
public record DottedVersionVector(Dot dot, VectorClock past) {

    private static final int TAG = 0x06;
    private static final int VERSION = 1;

    /** Validates the invariant. */
    public DottedVersionVector {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(past, "past");
        if (past.contains(dot)) {
            throw new IllegalArgumentException("the dot " + dot + " is already in its own past " + past);
        }
    }

    /**
     * The tag of a new write that {@code replica} makes after seeing {@code observed} (the
     * context a client read), where {@code highestCounter} is the highest dot counter the
     * replica has issued so far: the dot is {@code replica:(max(highestCounter,
     * observed[replica]) + 1)}.
     */
    public static DottedVersionVector next(ReplicaId replica, VectorClock observed, long highestCounter) {
        long counter = Math.addExact(Math.max(highestCounter, observed.get(replica)), 1);
        return new DottedVersionVector(new Dot(replica, counter), observed);
    }

    /** Whether this write had seen, or is, the event {@code event}. */
    public boolean contains(Dot event) {
        return dot.equals(event) || past.contains(event);
    }

    /**
     * How this write relates to {@code other}: {@link ClockOrder#BEFORE} when {@code other} had
     * seen this write, {@link ClockOrder#AFTER} when this one had seen {@code other},
     * {@link ClockOrder#EQUAL} for the same write, {@link ClockOrder#CONCURRENT} otherwise.
     */
    public ClockOrder compare(DottedVersionVector other) {
        if (equals(other)) {
            return ClockOrder.EQUAL;
        }
        boolean iSawThem = contains(other.dot);
        boolean theySawMe = other.contains(dot);
        if (iSawThem && !theySawMe) {
            return ClockOrder.AFTER;
        }
        if (theySawMe && !iSawThem) {
            return ClockOrder.BEFORE;
        }
        return ClockOrder.CONCURRENT;
    }

    /** Every event this write covers: its past plus its own dot. */
    public CausalContext context() {
        return CausalContext.of(past).add(dot);
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x06 | version 1 | dot: replica (16) | counter (varint) | past: vector clock body
     * </pre>
     */
    public static Codec<DottedVersionVector> codec() {
        return CODEC;
    }

    private static final Codec<DottedVersionVector> CODEC = new Codec<>() {
        @Override
        public void write(DottedVersionVector value, DataWriter out) {
            out.writeByte(TAG).writeByte(VERSION);
            Dot.writeBody(value.dot, out);
            VectorClock.writeBody(value.past, out);
        }

        @Override
        public DottedVersionVector read(DataReader in) {
            in.readHeader(TAG, VERSION, "dotted version vector");
            Dot dot = Dot.readBody(in);
            VectorClock past = VectorClock.readBody(in);
            if (past.contains(dot)) {
                throw in.corrupt("the dot is in its own past");
            }
            return new DottedVersionVector(dot, past);
        }
    };
}
