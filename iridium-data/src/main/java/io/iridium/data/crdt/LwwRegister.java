package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A last-writer-wins register: one value, stamped with the {@link HlcTimestamp} of its write
 * and the writer's {@link ReplicaId}; merge keeps the value with the greater stamp, comparing
 * timestamps and then, on equal timestamps, replica identities — a deterministic total order,
 * so every replica picks the same winner.
 *
 * <p><b>Precondition:</b> a stamp {@code (timestamp, writer)} names one write only — which a
 * {@link io.iridium.data.clock.HybridLogicalClock} per replica guarantees, since it never
 * issues a timestamp twice. <b>Data loss is by design:</b> of concurrent writes, all but one
 * are silently discarded (use an {@link MvRegister} to keep them); a writer whose clock runs
 * behind loses to older writes of others, within the clock's bounded skew.
 *
 * <p>An immutable value; {@link #set} returns a delta (a register holding just the write).
 *
 * @param <V> the value type
 */
public final class LwwRegister<V> implements Crdt<LwwRegister<V>>, HlcStamped {

    /** The order of write stamps: timestamp, then writer. */
    static final Comparator<LwwRegister<?>> STAMP_ORDER =
            Comparator.comparing((LwwRegister<?> r) -> r.timestamp).thenComparing(r -> r.writer);

    private static final LwwRegister<?> EMPTY = new LwwRegister<>(null, HlcTimestamp.ZERO, new ReplicaId(0, 0));
    private static final int TAG = 0x15;

    private final V value;
    private final HlcTimestamp timestamp;
    private final ReplicaId writer;

    private LwwRegister(V value, HlcTimestamp timestamp, ReplicaId writer) {
        this.value = value;
        this.timestamp = timestamp;
        this.writer = writer;
    }

    /** The register that was never written: no value, the lowest stamp. */
    @SuppressWarnings("unchecked")
    public static <V> LwwRegister<V> empty() {
        return (LwwRegister<V>) EMPTY;
    }

    /**
     * The delta that writes {@code value} at {@code timestamp} from {@code writer}. It wins over
     * the current value when its stamp is greater; otherwise merging it changes nothing.
     */
    public LwwRegister<V> set(ReplicaId writer, HlcTimestamp timestamp, V value) {
        return new LwwRegister<>(Objects.requireNonNull(value, "value"),
                Objects.requireNonNull(timestamp, "timestamp"), Objects.requireNonNull(writer, "writer"));
    }

    /** The value, empty if never written. */
    public Optional<V> value() {
        return Optional.ofNullable(value);
    }

    /** The timestamp of the winning write ({@link HlcTimestamp#ZERO} if never written). */
    public HlcTimestamp timestamp() {
        return timestamp;
    }

    /** The timestamp of the winning write, as {@link HlcStamped} wants it. */
    @Override
    public HlcTimestamp latestTimestamp() {
        return timestamp;
    }

    /** The replica of the winning write. */
    public ReplicaId writer() {
        return writer;
    }

    /**
     * The register with the greater stamp. Equal stamps name the same write (see the
     * precondition), except for a write at the lowest stamp, which wins over "never written".
     */
    @Override
    public LwwRegister<V> merge(LwwRegister<V> other) {
        int order = STAMP_ORDER.compare(this, other);
        if (order == 0) {
            return value != null ? this : other;
        }
        return order > 0 ? this : other;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LwwRegister<?> other && Objects.equals(value, other.value)
                && timestamp.equals(other.timestamp) && writer.equals(other.writer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, timestamp, writer);
    }

    @Override
    public String toString() {
        return "LwwRegister{" + value + " @" + timestamp + " by " + writer + "}";
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x15 | version 1 | 0                                      (never written)
     *   0x15 | version 1 | 1 | wall (varint) | logical (varint) | writer (16) | value
     * </pre>
     */
    public static <V> Codec<LwwRegister<V>> codec(Codec<V> valueCodec) {
        Objects.requireNonNull(valueCodec, "valueCodec");
        return new Codec<>() {
            @Override
            public void write(LwwRegister<V> register, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION).writeBoolean(register.value != null);
                if (register.value != null) {
                    HlcTimestamp.writeBody(register.timestamp, out);
                    out.writeReplica(register.writer);
                    valueCodec.write(register.value, out);
                }
            }

            @Override
            public LwwRegister<V> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "LWW-Register");
                if (!in.readBoolean()) {
                    return empty();
                }
                HlcTimestamp timestamp = HlcTimestamp.readBody(in);
                ReplicaId writer = in.readReplica();
                return new LwwRegister<>(Objects.requireNonNull(valueCodec.read(in), "value"), timestamp, writer);
            }
        };
    }
}
