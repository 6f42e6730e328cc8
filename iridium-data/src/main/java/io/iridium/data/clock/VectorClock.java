package io.iridium.data.clock;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A vector clock: for each replica, how many of its events are known (Fidge 1988, Mattern
 * 1989). A missing entry means zero, and zero entries are never stored, so equal clocks have
 * equal entries.
 *
 * <p>Clocks form a join-semilattice under {@link #merge} (entry-wise maximum), and
 * {@link #compare} is the partial order of that lattice: {@code a} is {@link ClockOrder#BEFORE}
 * {@code b} when every entry of {@code a} is at most the one of {@code b} and they differ;
 * {@link ClockOrder#CONCURRENT} when each has an entry larger than the other's. Laws (tested):
 * {@code a.compare(b) == b.compare(a).reversed()}; {@code a.compare(a.merge(b))} is BEFORE or
 * EQUAL; {@code a.increment(r)} is AFTER {@code a}.
 *
 * <p>An immutable value, safe to share.
 */
public final class VectorClock {

    private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());
    private static final int TAG = 0x02;
    private static final int VERSION = 1;

    private final SortedMap<ReplicaId, Long> entries;

    private VectorClock(TreeMap<ReplicaId, Long> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /** The clock that has seen no event. */
    public static VectorClock empty() {
        return EMPTY;
    }

    /**
     * A clock with the given entries; zero entries are dropped.
     *
     * @throws IllegalArgumentException if an entry is negative
     */
    public static VectorClock of(Map<ReplicaId, Long> entries) {
        TreeMap<ReplicaId, Long> copy = new TreeMap<>();
        entries.forEach((replica, counter) -> {
            Objects.requireNonNull(replica, "replica");
            if (counter < 0) {
                throw new IllegalArgumentException("a vector clock entry is never negative: " + counter);
            }
            if (counter > 0) {
                copy.put(replica, counter);
            }
        });
        return copy.isEmpty() ? EMPTY : new VectorClock(copy);
    }

    /** The entries, in replica order, without zeros (unmodifiable). */
    public SortedMap<ReplicaId, Long> entries() {
        return entries;
    }

    /** The number of events of {@code replica} this clock has seen (0 if none). */
    public long get(ReplicaId replica) {
        return entries.getOrDefault(replica, 0L);
    }

    /** The clock after one more event at {@code replica}. */
    public VectorClock increment(ReplicaId replica) {
        TreeMap<ReplicaId, Long> copy = new TreeMap<>(entries);
        copy.merge(replica, 1L, Math::addExact);
        return new VectorClock(copy);
    }

    /** The entry-wise maximum: the least clock that has seen everything both have seen. */
    public VectorClock merge(VectorClock other) {
        if (other.entries.isEmpty()) {
            return this;
        }
        if (entries.isEmpty()) {
            return other;
        }
        TreeMap<ReplicaId, Long> copy = new TreeMap<>(entries);
        other.entries.forEach((replica, counter) -> copy.merge(replica, counter, Math::max));
        return new VectorClock(copy);
    }

    /** Where this clock stands relative to {@code other} in the happened-before order. */
    public ClockOrder compare(VectorClock other) {
        boolean less = false;
        boolean greater = false;
        TreeMap<ReplicaId, Long> union = new TreeMap<>(entries);
        union.putAll(other.entries);
        for (ReplicaId replica : union.keySet()) {
            long mine = get(replica);
            long theirs = other.get(replica);
            if (mine < theirs) {
                less = true;
            } else if (mine > theirs) {
                greater = true;
            }
            if (less && greater) {
                return ClockOrder.CONCURRENT;
            }
        }
        if (less) {
            return ClockOrder.BEFORE;
        }
        return greater ? ClockOrder.AFTER : ClockOrder.EQUAL;
    }

    /** Whether this clock has seen every event {@code other} has seen (AFTER or EQUAL). */
    public boolean dominates(VectorClock other) {
        ClockOrder order = compare(other);
        return order == ClockOrder.AFTER || order == ClockOrder.EQUAL;
    }

    /** Whether this clock has seen the event {@code dot}. */
    public boolean contains(Dot dot) {
        return get(dot.replica()) >= dot.counter();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorClock other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "VectorClock" + entries;
    }

    /** Writes the entries (count, then replica and counter each), with no header. */
    static void writeBody(VectorClock clock, DataWriter out) {
        out.writeVarLong(clock.entries.size());
        clock.entries.forEach((replica, counter) -> out.writeReplica(replica).writeVarLong(counter));
    }

    /** Reads what {@link #writeBody} wrote, requiring strictly increasing replicas. */
    static VectorClock readBody(DataReader in) {
        int count = in.readCount(17);
        TreeMap<ReplicaId, Long> entries = new TreeMap<>();
        ReplicaId previous = null;
        for (int i = 0; i < count; i++) {
            ReplicaId replica = in.readReplica();
            if (previous != null && previous.compareTo(replica) >= 0) {
                throw in.corrupt("vector clock entries out of order");
            }
            long counter = in.readNonNegativeVarLong();
            if (counter == 0) {
                throw in.corrupt("zero vector clock entry");
            }
            entries.put(replica, counter);
            previous = replica;
        }
        return entries.isEmpty() ? EMPTY : new VectorClock(entries);
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x02 | version 1 | count (varint) | count x ( replica (16) | counter (varint) )
     * </pre>
     * with replicas strictly increasing and no zero counters (so it is canonical).
     */
    public static Codec<VectorClock> codec() {
        return CODEC;
    }

    private static final Codec<VectorClock> CODEC = new Codec<>() {
        @Override
        public void write(VectorClock value, DataWriter out) {
            out.writeByte(TAG).writeByte(VERSION);
            writeBody(value, out);
        }

        @Override
        public VectorClock read(DataReader in) {
            in.readHeader(TAG, VERSION, "vector clock");
            return readBody(in);
        }
    };
}
