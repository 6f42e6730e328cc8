package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.Dot;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A multi-value register: a write replaces every value it observed, and writes that did not
 * observe each other are all kept, as siblings, until a later write that observed them all
 * replaces them (Dynamo's and Riak's register, with dotted version vectors).
 *
 * <p>Each value is tagged with the dot of its write; the {@link CausalContext} holds every dot
 * seen. A write at {@code r} produces the delta {@code ({newDot → v}, observedDots + newDot)}:
 * its context covers exactly the siblings it replaces. Merge keeps a sibling if both sides hold
 * it or the other side never saw its dot. Because every sibling has its own dot — even two
 * concurrent writes through the same replica — siblings never explode and never overwrite each
 * other falsely; a value and its dot together form the dotted version vector
 * {@code (dot, context)} of the write.
 *
 * <p><b>Invariants:</b> every stored dot is in the context. An immutable value; mutators return
 * deltas ({@code state.merge(delta)} applies them).
 *
 * @param <V> the value type, with value-based {@code equals}
 */
public final class MvRegister<V> implements CausalCrdt<MvRegister<V>> {

    private static final MvRegister<?> EMPTY = new MvRegister<>(new TreeMap<>(), CausalContext.empty());
    private static final int TAG = 0x16;

    private final SortedMap<Dot, V> siblings;
    private final CausalContext context;

    private MvRegister(TreeMap<Dot, V> siblings, CausalContext context) {
        this.siblings = Collections.unmodifiableSortedMap(siblings);
        this.context = context;
    }

    /** The register with no value. */
    @SuppressWarnings("unchecked")
    public static <V> MvRegister<V> empty() {
        return (MvRegister<V>) EMPTY;
    }

    /** The delta that writes {@code value} at {@code replica}, replacing every value seen here. */
    public MvRegister<V> write(ReplicaId replica, V value) {
        Objects.requireNonNull(value, "value");
        Dot dot = context.next(replica);
        TreeMap<Dot, V> delta = new TreeMap<>();
        delta.put(dot, value);
        return new MvRegister<>(delta, CausalContext.of(siblings.keySet()).add(dot));
    }

    /**
     * The delta that writes {@code value} at {@code replica}, replacing exactly the siblings whose
     * dots are in {@code observed} — the context a client read earlier, possibly at another
     * replica — and no others: the dotted-version-vector put of Dynamo-style stores. Siblings
     * written since that read (concurrently) survive beside the new value, and a client that
     * always writes with the context of its own last read or write replaces its own previous
     * value, so siblings never pile up beyond the truly concurrent writers.
     */
    public MvRegister<V> writeObserved(ReplicaId replica, V value, CausalContext observed) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(observed, "observed");
        Dot dot = context.merge(observed).next(replica);
        TreeMap<Dot, V> delta = new TreeMap<>();
        delta.put(dot, value);
        return new MvRegister<>(delta, observed.add(dot));
    }

    /** The delta that clears every value seen here (concurrent writes survive). */
    public MvRegister<V> clear() {
        return new MvRegister<>(new TreeMap<>(), CausalContext.of(siblings.keySet()));
    }

    /** The current values: one after a write, several after concurrent writes, none if empty. */
    public Set<V> values() {
        return Set.copyOf(new HashSet<>(siblings.values()));
    }

    /** The siblings, each value under the dot of the write that made it (unmodifiable). */
    public SortedMap<Dot, V> siblings() {
        return siblings;
    }

    @Override
    public CausalContext context() {
        return context;
    }

    Set<Dot> dots() {
        return new TreeSet<>(siblings.keySet());
    }

    MvRegister<V> withContext(CausalContext newContext) {
        return new MvRegister<>(new TreeMap<>(siblings), newContext);
    }

    @Override
    public MvRegister<V> merge(MvRegister<V> other) {
        if (other == this) {
            return this;
        }
        Set<Dot> kept = Causal.join(siblings.keySet(), context, other.siblings.keySet(), other.context);
        TreeMap<Dot, V> merged = new TreeMap<>();
        for (Dot dot : kept) {
            V value = siblings.get(dot);
            merged.put(dot, value != null ? value : other.siblings.get(dot));
        }
        return new MvRegister<>(merged, context.merge(other.context));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MvRegister<?> other && siblings.equals(other.siblings) && context.equals(other.context);
    }

    @Override
    public int hashCode() {
        return siblings.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        return "MvRegister{" + siblings + ", " + context + "}";
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x16 | version 1 | causal context body | count | count x (dot | value)
     * </pre>
     * siblings in dot order, every dot inside the context.
     */
    public static <V> Codec<MvRegister<V>> codec(Codec<V> valueCodec) {
        Objects.requireNonNull(valueCodec, "valueCodec");
        return new Codec<>() {
            @Override
            public void write(MvRegister<V> value, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                CausalContext.writeBody(value.context, out);
                out.writeVarLong(value.siblings.size());
                value.siblings.forEach((dot, v) -> {
                    Dot.writeBody(dot, out);
                    valueCodec.write(v, out);
                });
            }

            @Override
            public MvRegister<V> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "MV-Register");
                CausalContext context = CausalContext.readBody(in);
                int count = in.readCount(18);
                TreeMap<Dot, V> siblings = new TreeMap<>();
                for (int i = 0; i < count; i++) {
                    Dot dot = Dot.readBody(in);
                    if (!siblings.isEmpty() && siblings.lastKey().compareTo(dot) >= 0) {
                        throw in.corrupt("MV-Register siblings out of order");
                    }
                    if (!context.contains(dot)) {
                        throw in.corrupt("MV-Register dot " + dot + " outside the context");
                    }
                    siblings.put(dot, Objects.requireNonNull(valueCodec.read(in), "value"));
                }
                return new MvRegister<>(siblings, context);
            }
        };
    }
}
