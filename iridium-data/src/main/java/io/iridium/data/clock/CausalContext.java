package io.iridium.data.clock;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A set of {@link Dot}s — the events a replica has seen — kept compact: a version vector for
 * each replica's contiguous prefix of dots, plus a "dot cloud" of the dots seen out of order
 * (the causal context of Almeida, Shoker and Baquero's delta-state CRDTs; the same shape as a
 * dotted version vector set's clock).
 *
 * <p><b>Compaction invariant</b>, restored by every operation: for every replica {@code r}
 * with prefix {@code n = versionVector().get(r)}, the context contains exactly the dots
 * {@code r:1 .. r:n} plus the cloud dots of {@code r}, and every cloud dot of {@code r} has a
 * counter greater than {@code n + 1} (a cloud dot at {@code n + 1} is absorbed into the prefix,
 * repeatedly, so a context that has seen every event of a replica stores one number for it).
 * A context received in a delta is often sparse ({@code {r:7}}); once the gaps fill, it folds
 * back into the version vector. Because the form is normalized, equal sets of dots have equal
 * representations, and {@link #equals} is set equality.
 *
 * <p>Contexts form a join-semilattice under {@link #merge} (set union). An immutable value.
 */
public final class CausalContext {

    private static final CausalContext EMPTY = new CausalContext(new TreeMap<>(), new TreeSet<>());
    private static final int TAG = 0x04;
    private static final int VERSION = 1;

    private final SortedMap<ReplicaId, Long> prefix;
    private final SortedSet<Dot> cloud;

    private CausalContext(TreeMap<ReplicaId, Long> prefix, TreeSet<Dot> cloud) {
        this.prefix = Collections.unmodifiableSortedMap(prefix);
        this.cloud = Collections.unmodifiableSortedSet(cloud);
    }

    /** The context that has seen nothing. */
    public static CausalContext empty() {
        return EMPTY;
    }

    /** The context holding exactly {@code dots}. */
    public static CausalContext of(Collection<Dot> dots) {
        if (dots.isEmpty()) {
            return EMPTY;
        }
        return normalized(new TreeMap<>(), new TreeSet<>(dots));
    }

    /** The context holding, for each replica {@code r}, the dots {@code r:1 .. clock.get(r)}. */
    public static CausalContext of(VectorClock clock) {
        return clock.entries().isEmpty() ? EMPTY : new CausalContext(new TreeMap<>(clock.entries()), new TreeSet<>());
    }

    private static CausalContext normalized(TreeMap<ReplicaId, Long> prefix, TreeSet<Dot> cloud) {
        TreeSet<Dot> rest = new TreeSet<>();
        for (Dot dot : cloud) { // ascending per replica, so absorption cascades in one pass
            long known = prefix.getOrDefault(dot.replica(), 0L);
            if (dot.counter() <= known) {
                continue;
            }
            if (dot.counter() == known + 1) {
                prefix.put(dot.replica(), dot.counter());
            } else {
                rest.add(dot);
            }
        }
        if (prefix.isEmpty() && rest.isEmpty()) {
            return EMPTY;
        }
        return new CausalContext(prefix, rest);
    }

    /** Whether this context has seen {@code dot}. */
    public boolean contains(Dot dot) {
        return dot.counter() <= prefix.getOrDefault(dot.replica(), 0L) || cloud.contains(dot);
    }

    /** This context with {@code dot} added. */
    public CausalContext add(Dot dot) {
        if (contains(dot)) {
            return this;
        }
        TreeSet<Dot> newCloud = new TreeSet<>(cloud);
        newCloud.add(dot);
        return normalized(new TreeMap<>(prefix), newCloud);
    }

    /** This context with every dot of {@code dots} added. */
    public CausalContext addAll(Collection<Dot> dots) {
        TreeSet<Dot> newCloud = new TreeSet<>(cloud);
        boolean changed = false;
        for (Dot dot : dots) {
            if (!contains(dot)) {
                changed |= newCloud.add(dot);
            }
        }
        return changed ? normalized(new TreeMap<>(prefix), newCloud) : this;
    }

    /** The union of the two contexts. */
    public CausalContext merge(CausalContext other) {
        if (other.isEmpty() || other.equals(this)) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        TreeMap<ReplicaId, Long> newPrefix = new TreeMap<>(prefix);
        other.prefix.forEach((replica, counter) -> newPrefix.merge(replica, counter, Math::max));
        TreeSet<Dot> newCloud = new TreeSet<>(cloud);
        newCloud.addAll(other.cloud);
        return normalized(newPrefix, newCloud);
    }

    /**
     * The next fresh dot of {@code replica}: one past the highest counter of that replica this
     * context has seen. A replica stamps a new event with it and adds it to its context.
     */
    public Dot next(ReplicaId replica) {
        return new Dot(replica, Math.addExact(max(replica), 1));
    }

    /** The highest counter of {@code replica} this context has seen (0 if none). */
    public long max(ReplicaId replica) {
        long highest = prefix.getOrDefault(replica, 0L);
        SortedSet<Dot> mine = cloud.subSet(new Dot(replica, 1), new Dot(replica, Long.MAX_VALUE));
        if (!mine.isEmpty()) {
            highest = Math.max(highest, mine.last().counter());
        }
        if (cloud.contains(new Dot(replica, Long.MAX_VALUE))) {
            highest = Long.MAX_VALUE;
        }
        return highest;
    }

    /** The contiguous part, as a version vector. */
    public VectorClock versionVector() {
        return VectorClock.of(prefix);
    }

    /** The dots seen out of order, beyond each replica's contiguous prefix (unmodifiable). */
    public SortedSet<Dot> cloud() {
        return cloud;
    }

    /** Whether this context has seen no dot at all. */
    public boolean isEmpty() {
        return prefix.isEmpty() && cloud.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CausalContext other && prefix.equals(other.prefix) && cloud.equals(other.cloud);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode() * 31 + cloud.hashCode();
    }

    @Override
    public String toString() {
        return "CausalContext{" + prefix + (cloud.isEmpty() ? "" : " + " + cloud) + "}";
    }

    /** Writes the prefix and the cloud, with no header (for embedding in CRDT encodings). */
    public static void writeBody(CausalContext context, DataWriter out) {
        VectorClock.writeBody(VectorClock.of(context.prefix), out);
        out.writeVarLong(context.cloud.size());
        for (Dot dot : context.cloud) {
            Dot.writeBody(dot, out);
        }
    }

    /** Reads what {@link #writeBody} wrote, requiring the normalized form. */
    public static CausalContext readBody(DataReader in) {
        VectorClock prefix = VectorClock.readBody(in);
        int count = in.readCount(17);
        TreeSet<Dot> cloud = new TreeSet<>();
        Dot previous = null;
        for (int i = 0; i < count; i++) {
            Dot dot = Dot.readBody(in);
            if (previous != null && previous.compareTo(dot) >= 0) {
                throw in.corrupt("causal context cloud out of order");
            }
            if (dot.counter() - 1 <= prefix.get(dot.replica())) {
                throw in.corrupt("causal context cloud dot " + dot + " is not beyond its prefix");
            }
            cloud.add(dot);
            previous = dot;
        }
        if (prefix.entries().isEmpty() && cloud.isEmpty()) {
            return EMPTY;
        }
        return new CausalContext(new TreeMap<>(prefix.entries()), cloud);
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x04 | version 1 | prefix: count | count x (replica (16) | counter (varint))
     *                    | cloud:  count | count x (replica (16) | counter (varint))
     * </pre>
     * both sorted, the cloud strictly beyond each prefix plus one (the normalized form).
     */
    public static Codec<CausalContext> codec() {
        return CODEC;
    }

    private static final Codec<CausalContext> CODEC = new Codec<>() {
        @Override
        public void write(CausalContext value, DataWriter out) {
            out.writeByte(TAG).writeByte(VERSION);
            writeBody(value, out);
        }

        @Override
        public CausalContext read(DataReader in) {
            in.readHeader(TAG, VERSION, "causal context");
            return readBody(in);
        }
    };
}
