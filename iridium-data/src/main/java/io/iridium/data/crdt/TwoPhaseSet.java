package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A two-phase set: a grow-only set of added elements and a grow-only set of removed ones
 * (tombstones); an element is present when added and not removed. Once removed, an element can
 * never come back — remove wins over every add, earlier or concurrent. Use an {@link OrSet}
 * when elements must be re-addable.
 *
 * <p><b>Invariant:</b> only elements that were observed present are removed
 * ({@link #remove} of an absent element is the empty delta), so {@code removed ⊆ added} in
 * every state built by its own mutators.
 *
 * <p>An immutable value; mutators return deltas ({@code state.merge(delta)} applies them).
 *
 * @param <E> the element type, with value-based {@code equals} and {@code hashCode}
 */
public final class TwoPhaseSet<E> implements Crdt<TwoPhaseSet<E>> {

    private static final TwoPhaseSet<?> EMPTY = new TwoPhaseSet<>(GSet.empty(), GSet.empty());
    private static final int TAG = 0x13;

    private final GSet<E> added;
    private final GSet<E> removed;

    private TwoPhaseSet(GSet<E> added, GSet<E> removed) {
        this.added = added;
        this.removed = removed;
    }

    /** The empty set. */
    @SuppressWarnings("unchecked")
    public static <E> TwoPhaseSet<E> empty() {
        return (TwoPhaseSet<E>) EMPTY;
    }

    /** The delta that adds {@code element} (without effect if it was ever removed). */
    public TwoPhaseSet<E> add(E element) {
        return new TwoPhaseSet<>(added.add(element), GSet.empty());
    }

    /** The delta that removes {@code element} for good; the empty delta if it is absent. */
    public TwoPhaseSet<E> remove(E element) {
        if (!contains(element)) {
            return empty();
        }
        return new TwoPhaseSet<>(GSet.empty(), removed.add(element));
    }

    /** Whether {@code element} was added and not removed. */
    public boolean contains(E element) {
        return added.contains(element) && !removed.contains(element);
    }

    /** The present elements (a new unmodifiable set). */
    public Set<E> elements() {
        Set<E> present = new HashSet<>(added.elements());
        present.removeAll(removed.elements());
        return Set.copyOf(present);
    }

    /** The tombstones: every element ever removed (unmodifiable). */
    public Set<E> removed() {
        return removed.elements();
    }

    @Override
    public TwoPhaseSet<E> merge(TwoPhaseSet<E> other) {
        return new TwoPhaseSet<>(added.merge(other.added), removed.merge(other.removed));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwoPhaseSet<?> other && added.equals(other.added) && removed.equals(other.removed);
    }

    @Override
    public int hashCode() {
        return added.hashCode() * 31 + removed.hashCode();
    }

    @Override
    public String toString() {
        return "TwoPhaseSet{added=" + added.elements() + ", removed=" + removed.elements() + "}";
    }

    /**
     * The binary encoding: {@code 0x13 | version 1 | added: count | elements | removed: count |
     * elements}, each sorted by encoded bytes.
     */
    public static <E> Codec<TwoPhaseSet<E>> codec(Codec<E> elementCodec) {
        Objects.requireNonNull(elementCodec, "elementCodec");
        return new Codec<>() {
            @Override
            public void write(TwoPhaseSet<E> value, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                Encoding.writeSet(value.added.elements(), elementCodec, out);
                Encoding.writeSet(value.removed.elements(), elementCodec, out);
            }

            @Override
            public TwoPhaseSet<E> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "2P-Set");
                Set<E> added = Encoding.readSet(in, elementCodec);
                Set<E> removed = Encoding.readSet(in, elementCodec);
                return new TwoPhaseSet<>(GSet.of(added), GSet.of(removed));
            }
        };
    }
}
