package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A grow-only counter: one entry per replica, each incremented only by its own replica; the
 * value is the sum of the entries and merge takes the entry-wise maximum.
 *
 * <h2>Retiring departed replicas</h2>
 * A restarted process is a new replica identity, so under churn the entries of departed
 * replicas would pile up forever. They are removed in two steps, driven by the replicator:
 * <ol>
 *   <li><b>{@link #retire(ReplicaId, ReplicaId) retire}</b> — a CRDT update, made at the
 *       <em>heir</em>'s own replica: the departed replica's entry is added to the heir's entry
 *       and replaced by a small tombstone {@code departed → (heir, folded count)}. Preconditions:
 *       (P1) the departed replica will never increment again and this state already holds its
 *       final entry — the replicator retires a replica only when it leaves gracefully: it stops
 *       counting, then hands its own state (which holds the maximum of its entry) to the heir;
 *       (P2) one heir per departed replica — the leaving replica asks another heir only after
 *       an explicit refusal (see {@code ReplicaCore#leave}).
 *   <li><b>{@link #forget(Collection) forget}</b> — a local compaction, not a delta: drops the
 *       tombstones. Precondition (P3): every live replica has merged the retirement, and no
 *       state still holding the departed entry will be merged any more (the replicator forgets
 *       a tombstone only after a grace period far longer than any replica may stay cut off). Until then the tombstone is the memory that stops an old
 *       state re-introducing the departed entry.
 * </ol>
 *
 * <p><b>Invariant (no double counting, no loss).</b> Each increment is counted exactly once
 * in the value of any state that has seen it: either in its replica's own entry, or — after
 * retirement — in the heir's entry and nowhere else. The merge drops the entry of every replica
 * that has a tombstone, so a state that still carries the departed entry (from before the
 * retirement) cannot add it a second time on top of the heir's enlarged entry. And whenever a
 * state carries an heir entry that includes a folded count, it also carries the tombstone:
 * the retirement delta holds both, full states hold both, and every increment delta of the heir
 * repeats the heir's own tombstones (a handful of records). Totals are therefore preserved by
 * retirement and by every merge, at every moment, not only after convergence (tested).
 *
 * <p>An immutable value; mutators return deltas ({@code state.merge(delta)} applies them).
 */
public final class GCounter implements Crdt<GCounter> {

    /**
     * The record of a retired replica: whose entry absorbed it, and how much it had counted.
     *
     * @param heir       the replica whose entry absorbed the departed one
     * @param finalCount the departed replica's entry when it was folded, at least 0
     */
    public record Retirement(ReplicaId heir, long finalCount) {
        /** Validates the record. */
        public Retirement {
            Objects.requireNonNull(heir, "heir");
            if (finalCount < 0) {
                throw new IllegalArgumentException("a retired count is never negative: " + finalCount);
            }
        }
    }

    private static final GCounter EMPTY = new GCounter(new TreeMap<>(), new TreeMap<>());
    private static final int TAG = 0x10;

    private final SortedMap<ReplicaId, Long> entries;
    private final SortedMap<ReplicaId, Retirement> retired;

    private GCounter(TreeMap<ReplicaId, Long> entries, TreeMap<ReplicaId, Retirement> retired) {
        this.entries = Collections.unmodifiableSortedMap(entries);
        this.retired = Collections.unmodifiableSortedMap(retired);
    }

    private static GCounter of(TreeMap<ReplicaId, Long> entries, TreeMap<ReplicaId, Retirement> retired) {
        entries.keySet().removeAll(retired.keySet());
        entries.values().removeIf(count -> count == 0);
        return entries.isEmpty() && retired.isEmpty() ? EMPTY : new GCounter(entries, retired);
    }

    /** The counter at zero, with no entries. */
    public static GCounter empty() {
        return EMPTY;
    }

    /** The sum of the entries. */
    public long value() {
        long sum = 0;
        for (long count : entries.values()) {
            sum = Math.addExact(sum, count);
        }
        return sum;
    }

    /** The entry of {@code replica}: its own increments plus whatever it inherited. */
    public long get(ReplicaId replica) {
        return entries.getOrDefault(replica, 0L);
    }

    /** The non-zero entries of live replicas, in replica order (unmodifiable). */
    public SortedMap<ReplicaId, Long> entries() {
        return entries;
    }

    /** The tombstones of retired replicas not yet forgotten (unmodifiable). */
    public SortedMap<ReplicaId, Retirement> retired() {
        return retired;
    }

    /**
     * The delta that adds {@code amount} to the entry of {@code replica}; call it only on
     * {@code replica}'s own state (each entry has a single writer).
     *
     * @throws IllegalArgumentException if {@code amount} is negative or {@code replica} retired
     */
    public GCounter increment(ReplicaId replica, long amount) {
        Objects.requireNonNull(replica, "replica");
        if (amount < 0) {
            throw new IllegalArgumentException("a G-Counter only grows: " + amount);
        }
        if (retired.containsKey(replica)) {
            throw new IllegalArgumentException(replica + " has retired and can no longer count");
        }
        TreeMap<ReplicaId, Long> delta = new TreeMap<>();
        delta.put(replica, Math.addExact(get(replica), amount));
        return of(delta, tombstonesOf(replica));
    }

    /**
     * The delta that retires {@code departed} into {@code heir}: the heir's entry grows by the
     * departed entry, which is replaced by a tombstone. Call it only on the heir's own state,
     * and only under preconditions P1 and P2 of the class documentation. Retiring a replica
     * that is already retired, or that has no entry, changes nothing beyond recording it.
     *
     * @throws IllegalArgumentException if {@code departed} equals {@code heir} or the heir has
     *                                  itself retired
     */
    public GCounter retire(ReplicaId departed, ReplicaId heir) {
        Objects.requireNonNull(departed, "departed");
        Objects.requireNonNull(heir, "heir");
        if (departed.equals(heir)) {
            throw new IllegalArgumentException("a replica cannot inherit from itself: " + heir);
        }
        if (retired.containsKey(heir)) {
            throw new IllegalArgumentException("the heir " + heir + " has itself retired");
        }
        if (retired.containsKey(departed)) {
            return empty();
        }
        long folded = get(departed);
        TreeMap<ReplicaId, Retirement> tombstones = tombstonesOf(heir);
        tombstones.put(departed, new Retirement(heir, folded));
        TreeMap<ReplicaId, Long> delta = new TreeMap<>();
        delta.put(heir, Math.addExact(get(heir), folded));
        return of(delta, tombstones);
    }

    /**
     * This state without the tombstones of {@code departed} — a local compaction, not a delta;
     * see precondition P3 of the class documentation. Entries are unaffected.
     */
    public GCounter forget(Collection<ReplicaId> departed) {
        TreeMap<ReplicaId, Retirement> kept = new TreeMap<>(retired);
        kept.keySet().removeAll(departed);
        return kept.size() == retired.size() ? this : of(new TreeMap<>(entries), kept);
    }

    private TreeMap<ReplicaId, Retirement> tombstonesOf(ReplicaId heir) {
        TreeMap<ReplicaId, Retirement> mine = new TreeMap<>();
        retired.forEach((departed, retirement) -> {
            if (retirement.heir().equals(heir)) {
                mine.put(departed, retirement);
            }
        });
        return mine;
    }

    /**
     * Entry-wise maximum, tombstones united; the entries of tombstoned replicas are dropped.
     * Two tombstones for one replica (which P2 rules out) resolve to the lower heir, then the
     * higher count, so that merge stays a deterministic join.
     */
    @Override
    public GCounter merge(GCounter other) {
        if (other == this || other.equals(EMPTY)) {
            return this;
        }
        if (this.equals(EMPTY)) {
            return other;
        }
        TreeMap<ReplicaId, Long> mergedEntries = new TreeMap<>(entries);
        other.entries.forEach((replica, count) -> mergedEntries.merge(replica, count, Math::max));
        TreeMap<ReplicaId, Retirement> mergedRetired = new TreeMap<>(retired);
        other.retired.forEach((replica, retirement) -> mergedRetired.merge(replica, retirement, GCounter::pick));
        return of(mergedEntries, mergedRetired);
    }

    private static Retirement pick(Retirement a, Retirement b) {
        int byHeir = a.heir().compareTo(b.heir());
        if (byHeir != 0) {
            return byHeir < 0 ? a : b;
        }
        return a.finalCount() >= b.finalCount() ? a : b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GCounter other && entries.equals(other.entries) && retired.equals(other.retired);
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + retired.hashCode();
    }

    @Override
    public String toString() {
        return "GCounter{" + entries + (retired.isEmpty() ? "" : ", retired=" + retired) + "}";
    }

    static void writeBody(GCounter counter, DataWriter out) {
        out.writeVarLong(counter.entries.size());
        counter.entries.forEach((replica, count) -> out.writeReplica(replica).writeVarLong(count));
        out.writeVarLong(counter.retired.size());
        counter.retired.forEach((replica, retirement) ->
                out.writeReplica(replica).writeReplica(retirement.heir()).writeVarLong(retirement.finalCount()));
    }

    static GCounter readBody(DataReader in) {
        TreeMap<ReplicaId, Long> entries = new TreeMap<>();
        int count = in.readCount(17);
        for (int i = 0; i < count; i++) {
            ReplicaId replica = in.readReplica();
            long value = in.readVarLong(1, Long.MAX_VALUE, "counter entry");
            if (!entries.isEmpty() && entries.lastKey().compareTo(replica) >= 0) {
                throw in.corrupt("counter entries out of order");
            }
            entries.put(replica, value);
        }
        TreeMap<ReplicaId, Retirement> retired = new TreeMap<>();
        int tombstones = in.readCount(33);
        for (int i = 0; i < tombstones; i++) {
            ReplicaId replica = in.readReplica();
            Retirement retirement = new Retirement(in.readReplica(), in.readNonNegativeVarLong());
            if (!retired.isEmpty() && retired.lastKey().compareTo(replica) >= 0) {
                throw in.corrupt("counter tombstones out of order");
            }
            if (entries.containsKey(replica)) {
                throw in.corrupt("retired replica " + replica + " still has an entry");
            }
            retired.put(replica, retirement);
        }
        GCounter counter = of(entries, retired);
        counter.value(); // rejects a sum that overflows
        return counter;
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x10 | version 1 | entries: count | count x (replica (16) | value (varint, &gt; 0))
     *                    | tombstones: count | count x (departed (16) | heir (16) | count (varint))
     * </pre>
     * both sorted by replica.
     */
    public static Codec<GCounter> codec() {
        return CODEC;
    }

    private static final Codec<GCounter> CODEC = new Codec<>() {
        @Override
        public void write(GCounter value, DataWriter out) {
            out.writeByte(TAG).writeByte(Encoding.VERSION);
            writeBody(value, out);
        }

        @Override
        public GCounter read(DataReader in) {
            in.readHeader(TAG, Encoding.VERSION, "G-Counter");
            return readBody(in);
        }
    };
}
