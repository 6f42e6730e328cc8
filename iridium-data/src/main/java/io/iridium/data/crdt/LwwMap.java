package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A last-writer-wins map: every key holds the latest write to it — a value or a removal —
 * stamped like an {@link LwwRegister} with an {@link HlcTimestamp} and the writer's
 * {@link ReplicaId}; merge keeps, per key, the write with the greater stamp (timestamp, then
 * replica identity).
 *
 * <p>A removal is a write too (a tombstone with its stamp), so that an older put arriving later
 * cannot bring the key back. Tombstones stay until the replicator can prove every replica has
 * seen them; that garbage collection is not part of this value. The precondition and the data
 * loss are those of {@link LwwRegister}.
 *
 * <p>An immutable value; mutators return deltas (a map holding just the write).
 *
 * @param <K> the key type, with value-based {@code equals} and {@code hashCode}
 * @param <V> the value type
 */
public final class LwwMap<K, V> implements Crdt<LwwMap<K, V>>, HlcStamped {

    /**
     * The latest write to one key.
     *
     * @param value     the value written, or {@code null} for a removal
     * @param timestamp when it was written
     * @param writer    who wrote it
     * @param <V>       the value type
     */
    public record Entry<V>(V value, HlcTimestamp timestamp, ReplicaId writer) {
        /** Validates the stamp. */
        public Entry {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(writer, "writer");
        }

        /** Whether this write removed the key. */
        public boolean isRemoval() {
            return value == null;
        }
    }

    private static final Comparator<Entry<?>> STAMP_ORDER =
            Comparator.comparing((Entry<?> e) -> e.timestamp()).thenComparing(Entry::writer);
    private static final LwwMap<?, ?> EMPTY = new LwwMap<>(Map.of());
    private static final int TAG = 0x18;

    private final Map<K, Entry<V>> entries;

    private LwwMap(Map<K, Entry<V>> entries) {
        this.entries = entries;
    }

    /** The greatest timestamp of any write (removals included), {@link HlcTimestamp#ZERO} if none. */
    @Override
    public HlcTimestamp latestTimestamp() {
        HlcTimestamp latest = HlcTimestamp.ZERO;
        for (Entry<V> entry : entries.values()) {
            latest = HlcTimestamp.max(latest, entry.timestamp());
        }
        return latest;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    public static <K, V> LwwMap<K, V> empty() {
        return (LwwMap<K, V>) EMPTY;
    }

    /** The delta that puts {@code value} under {@code key} at {@code timestamp} from {@code writer}. */
    public LwwMap<K, V> put(ReplicaId writer, HlcTimestamp timestamp, K key, V value) {
        Objects.requireNonNull(value, "value");
        return new LwwMap<>(Map.of(Objects.requireNonNull(key, "key"), new Entry<>(value, timestamp, writer)));
    }

    /** The delta that removes {@code key} at {@code timestamp} from {@code writer}. */
    public LwwMap<K, V> remove(ReplicaId writer, HlcTimestamp timestamp, K key) {
        return new LwwMap<>(Map.of(Objects.requireNonNull(key, "key"), new Entry<>(null, timestamp, writer)));
    }

    /** The value under {@code key}, empty if absent or removed. */
    public Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
    }

    /** The present keys and their values (a new unmodifiable map). */
    public Map<K, V> asMap() {
        Map<K, V> present = new HashMap<>();
        entries.forEach((key, entry) -> {
            if (!entry.isRemoval()) {
                present.put(key, entry.value());
            }
        });
        return Map.copyOf(present);
    }

    /** Every key's latest write, removals included (unmodifiable). */
    public Map<K, Entry<V>> entries() {
        return entries;
    }

    /** Per key, the write with the greater stamp (this map's when the stamps are equal). */
    @Override
    public LwwMap<K, V> merge(LwwMap<K, V> other) {
        if (other.entries.isEmpty() || other == this) {
            return this;
        }
        if (entries.isEmpty()) {
            return other;
        }
        Map<K, Entry<V>> merged = new HashMap<>(entries);
        other.entries.forEach((key, entry) -> merged.merge(key, entry,
                (mine, theirs) -> STAMP_ORDER.compare(mine, theirs) >= 0 ? mine : theirs));
        return new LwwMap<>(Map.copyOf(merged));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LwwMap<?, ?> other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "LwwMap" + entries;
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x18 | version 1 | count | count x (key | wall | logical | writer (16) | 0 or (1 | value))
     * </pre>
     * keys sorted by encoded bytes; {@code 0} marks a removal.
     */
    public static <K, V> Codec<LwwMap<K, V>> codec(Codec<K> keyCodec, Codec<V> valueCodec) {
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        return new Codec<>() {
            @Override
            public void write(LwwMap<K, V> map, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                Encoding.writeMap(map.entries, keyCodec, (entry, o) -> {
                    HlcTimestamp.writeBody(entry.timestamp(), o);
                    o.writeReplica(entry.writer());
                    o.writeBoolean(!entry.isRemoval());
                    if (!entry.isRemoval()) {
                        valueCodec.write(entry.value(), o);
                    }
                }, out);
            }

            @Override
            public LwwMap<K, V> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "LWW-Map");
                Map<K, Entry<V>> entries = Encoding.readMap(in, keyCodec, i -> {
                    HlcTimestamp timestamp = HlcTimestamp.readBody(i);
                    ReplicaId writer = i.readReplica();
                    V value = i.readBoolean() ? Objects.requireNonNull(valueCodec.read(i), "value") : null;
                    return new Entry<>(value, timestamp, writer);
                });
                return new LwwMap<>(Map.copyOf(entries));
            }
        };
    }
}
