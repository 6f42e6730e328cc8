package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A grow-only set: elements are added, never removed; merge is set union.
 *
 * <p>An immutable value; {@link #add} returns a delta (the singleton set).
 *
 * @param <E> the element type, with value-based {@code equals} and {@code hashCode}
 */
public final class GSet<E> implements Crdt<GSet<E>> {

    private static final GSet<?> EMPTY = new GSet<>(Set.of());
    private static final int TAG = 0x12;

    private final Set<E> elements;

    private GSet(Set<E> elements) {
        this.elements = elements;
    }

    /** The empty set. */
    @SuppressWarnings("unchecked")
    public static <E> GSet<E> empty() {
        return (GSet<E>) EMPTY;
    }

    /** The set holding {@code elements}. */
    public static <E> GSet<E> of(Set<E> elements) {
        return new GSet<>(Set.copyOf(elements));
    }

    /** The delta that adds {@code element}. */
    public GSet<E> add(E element) {
        return new GSet<>(Set.of(Objects.requireNonNull(element, "element")));
    }

    /** Whether {@code element} is in the set. */
    public boolean contains(E element) {
        return elements.contains(element);
    }

    /** The elements (unmodifiable). */
    public Set<E> elements() {
        return elements;
    }

    /** The number of elements. */
    public int size() {
        return elements.size();
    }

    /** Set union. */
    @Override
    public GSet<E> merge(GSet<E> other) {
        if (other.elements.isEmpty() || elements.containsAll(other.elements)) {
            return this;
        }
        if (elements.isEmpty()) {
            return other;
        }
        Set<E> union = new HashSet<>(elements);
        union.addAll(other.elements);
        return new GSet<>(Set.copyOf(union));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GSet<?> other && elements.equals(other.elements);
    }

    @Override
    public int hashCode() {
        return elements.hashCode();
    }

    @Override
    public String toString() {
        return "GSet" + elements;
    }

    /**
     * The binary encoding: {@code 0x12 | version 1 | count | elements}, sorted by their encoded
     * bytes (canonical).
     */
    public static <E> Codec<GSet<E>> codec(Codec<E> elementCodec) {
        Objects.requireNonNull(elementCodec, "elementCodec");
        return new Codec<>() {
            @Override
            public void write(GSet<E> value, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                Encoding.writeSet(value.elements, elementCodec, out);
            }

            @Override
            public GSet<E> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "G-Set");
                return new GSet<>(Set.copyOf(Encoding.readSet(in, elementCodec)));
            }
        };
    }
}
