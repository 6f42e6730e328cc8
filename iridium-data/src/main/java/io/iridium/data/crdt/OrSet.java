package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.Dot;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An observed-remove set without tombstones, add-wins (the "optimized OR-Set" of Bieniusa et
 * al. 2012 in its delta-state form, Almeida et al. 2018): each element present carries the dots
 * of the adds that put it there, and a {@link CausalContext} records every dot ever seen.
 *
 * <ul>
 *   <li>{@code add(r, e)}: a fresh dot of {@code r} tags {@code e}; the delta also puts the
 *       dots of {@code e} it observed into its context, so they are replaced by the new one;
 *   <li>{@code remove(e)}: the delta has no element and a context of exactly the dots of
 *       {@code e} observed here — it removes those adds and no others;
 *   <li>merge: an element's dot survives if both sides hold it, or one holds it and the other
 *       has never seen it (see {@link CausalCrdt}); contexts unite.
 * </ul>
 *
 * <p><b>Semantics.</b> An add concurrent with a remove wins (the remove did not observe its
 * dot). A removed element never comes back through an old or duplicated message: the adds that
 * carried it have dots the remover's context holds, so merge discards them (tested). Removed
 * elements leave nothing behind but their dots in the context, which compacts to one counter
 * per replica once the replica's dots are contiguous.
 *
 * <p><b>Invariants:</b> every stored dot is in the context; no dot tags two elements; no
 * element has an empty dot set. An immutable value; mutators return deltas.
 *
 * @param <E> the element type, with value-based {@code equals} and {@code hashCode}
 */
public final class OrSet<E> implements CausalCrdt<OrSet<E>> {

    private static final OrSet<?> EMPTY = new OrSet<>(Map.of(), CausalContext.empty());
    private static final int TAG = 0x14;

    private final Map<E, Set<Dot>> entries;
    private final CausalContext context;

    private OrSet(Map<E, Set<Dot>> entries, CausalContext context) {
        this.entries = entries;
        this.context = context;
    }

    /** The empty set, with an empty context. */
    @SuppressWarnings("unchecked")
    public static <E> OrSet<E> empty() {
        return (OrSet<E>) EMPTY;
    }

    /** The delta that adds {@code element} at {@code replica} (which must be this replica). */
    public OrSet<E> add(ReplicaId replica, E element) {
        Objects.requireNonNull(element, "element");
        Dot dot = context.next(replica);
        Set<Dot> observed = entries.getOrDefault(element, Set.of());
        CausalContext deltaContext = CausalContext.of(observed).add(dot);
        return new OrSet<>(Map.of(element, Set.of(dot)), deltaContext);
    }

    /** The delta that removes {@code element} as observed here (empty context if absent). */
    public OrSet<E> remove(E element) {
        Set<Dot> observed = entries.getOrDefault(element, Set.of());
        return new OrSet<>(Map.of(), CausalContext.of(observed));
    }

    /** The delta that removes every element observed here. */
    public OrSet<E> clear() {
        return new OrSet<>(Map.of(), CausalContext.of(dots()));
    }

    /** Whether {@code element} is present. */
    public boolean contains(E element) {
        return entries.containsKey(element);
    }

    /** The present elements (unmodifiable). */
    public Set<E> elements() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The number of present elements. */
    public int size() {
        return entries.size();
    }

    /** Whether no element is present. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The dots currently supporting {@code element} (empty if absent). */
    public Set<Dot> dotsOf(E element) {
        return entries.getOrDefault(element, Set.of());
    }

    @Override
    public CausalContext context() {
        return context;
    }

    Set<Dot> dots() {
        Set<Dot> all = new TreeSet<>();
        entries.values().forEach(all::addAll);
        return all;
    }

    OrSet<E> withContext(CausalContext newContext) {
        return new OrSet<>(entries, newContext);
    }

    @Override
    public OrSet<E> merge(OrSet<E> other) {
        if (other == this) {
            return this;
        }
        Map<E, Set<Dot>> merged = new HashMap<>();
        Set<E> keys = new HashSet<>(entries.keySet());
        keys.addAll(other.entries.keySet());
        for (E element : keys) {
            Set<Dot> dots = Causal.join(
                    entries.getOrDefault(element, Set.of()), context,
                    other.entries.getOrDefault(element, Set.of()), other.context);
            if (!dots.isEmpty()) {
                merged.put(element, Set.copyOf(dots));
            }
        }
        return new OrSet<>(Map.copyOf(merged), context.merge(other.context));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrSet<?> other && entries.equals(other.entries) && context.equals(other.context);
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        return "OrSet{" + entries + ", " + context + "}";
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x14 | version 1 | causal context body | count | count x (element | dots: count | dots)
     * </pre>
     * elements sorted by encoded bytes, dots in order. Decoding checks the invariants.
     */
    public static <E> Codec<OrSet<E>> codec(Codec<E> elementCodec) {
        Objects.requireNonNull(elementCodec, "elementCodec");
        return new Codec<>() {
            @Override
            public void write(OrSet<E> value, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                CausalContext.writeBody(value.context, out);
                Encoding.writeMap(value.entries, elementCodec, Encoding::writeDots, out);
            }

            @Override
            public OrSet<E> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "OR-Set");
                CausalContext context = CausalContext.readBody(in);
                Map<E, Set<Dot>> entries = Encoding.readMap(in, elementCodec, Encoding::readDots);
                Set<Dot> seen = new HashSet<>();
                Map<E, Set<Dot>> copy = new HashMap<>();
                entries.forEach((element, dots) -> {
                    if (dots.isEmpty()) {
                        throw in.corrupt("OR-Set element without dots");
                    }
                    for (Dot dot : dots) {
                        if (!context.contains(dot) || !seen.add(dot)) {
                            throw in.corrupt("OR-Set dot " + dot + " outside the context or shared");
                        }
                    }
                    copy.put(element, Set.copyOf(dots));
                });
                return new OrSet<>(Map.copyOf(copy), context);
            }
        };
    }
}
