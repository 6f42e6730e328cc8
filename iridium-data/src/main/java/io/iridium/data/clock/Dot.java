package io.iridium.data.clock;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of one event: the replica where it happened and that replica's event counter
 * (1 for its first event, 2 for the second, ...). Dots are unique as long as a replica identity
 * is never reused by a process that lost its state.
 *
 * <p>Ordered by replica, then counter.
 *
 * @param replica where the event happened
 * @param counter its sequence number at that replica, at least 1
 */
public record Dot(ReplicaId replica, long counter) implements Comparable<Dot> {

    private static final Comparator<Dot> ORDER =
            Comparator.comparing(Dot::replica).thenComparingLong(Dot::counter);

    private static final int TAG = 0x03;
    private static final int VERSION = 1;

    /** Validates the dot. */
    public Dot {
        Objects.requireNonNull(replica, "replica");
        if (counter < 1) {
            throw new IllegalArgumentException("a dot's counter starts at 1: " + counter);
        }
    }

    @Override
    public int compareTo(Dot other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return replica + ":" + counter;
    }

    /** Writes the replica and the counter, with no header (for embedding in other encodings). */
    public static void writeBody(Dot dot, DataWriter out) {
        out.writeReplica(dot.replica).writeVarLong(dot.counter);
    }

    /** Reads what {@link #writeBody} wrote. */
    public static Dot readBody(DataReader in) {
        ReplicaId replica = in.readReplica();
        long counter = in.readNonNegativeVarLong();
        if (counter < 1) {
            throw in.corrupt("a dot's counter starts at 1");
        }
        return new Dot(replica, counter);
    }

    /** The binary encoding: tag, version, replica (16 bytes), counter (varint). */
    public static Codec<Dot> codec() {
        return CODEC;
    }

    private static final Codec<Dot> CODEC = new Codec<>() {
        @Override
        public void write(Dot value, DataWriter out) {
            out.writeByte(TAG).writeByte(VERSION);
            writeBody(value, out);
        }

        @Override
        public Dot read(DataReader in) {
            in.readHeader(TAG, VERSION, "dot");
            return readBody(in);
        }
    };
}
