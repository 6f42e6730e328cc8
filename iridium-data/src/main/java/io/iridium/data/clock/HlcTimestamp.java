package io.iridium.data.clock;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import java.util.Comparator;

/**
 * A hybrid logical clock timestamp: a physical part in milliseconds since the epoch, close to
 * the wall clock of the node that issued it, and a logical counter that orders events sharing
 * the same physical part. Ordered by wall time, then logical counter; this order extends
 * happened-before (if {@code a} happened before {@code b}, then {@code a < b}).
 *
 * @param wallTime milliseconds since the epoch, never negative
 * @param logical  the counter within one millisecond, never negative
 */
public record HlcTimestamp(long wallTime, int logical) implements Comparable<HlcTimestamp> {

    /** The smallest timestamp: before every timestamp a clock issues. */
    public static final HlcTimestamp ZERO = new HlcTimestamp(0, 0);

    private static final Comparator<HlcTimestamp> ORDER =
            Comparator.comparingLong(HlcTimestamp::wallTime).thenComparingInt(HlcTimestamp::logical);

    private static final int TAG = 0x05;
    private static final int VERSION = 1;

    /** Validates the parts. */
    public HlcTimestamp {
        if (wallTime < 0 || logical < 0) {
            throw new IllegalArgumentException("HLC parts are never negative: " + wallTime + "." + logical);
        }
    }

    @Override
    public int compareTo(HlcTimestamp other) {
        return ORDER.compare(this, other);
    }

    /** Whether this timestamp is strictly after {@code other}. */
    public boolean isAfter(HlcTimestamp other) {
        return compareTo(other) > 0;
    }

    /** The later of the two. */
    public static HlcTimestamp max(HlcTimestamp a, HlcTimestamp b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return wallTime + "." + logical;
    }

    /** Writes both parts as varints, with no header (for embedding in CRDT encodings). */
    public static void writeBody(HlcTimestamp timestamp, DataWriter out) {
        out.writeVarLong(timestamp.wallTime).writeVarLong(timestamp.logical);
    }

    /** Reads what {@link #writeBody} wrote. */
    public static HlcTimestamp readBody(DataReader in) {
        long wall = in.readNonNegativeVarLong();
        int logical = (int) in.readVarLong(0, Integer.MAX_VALUE, "HLC logical counter");
        return new HlcTimestamp(wall, logical);
    }

    /** The binary encoding: {@code 0x05 | version 1 | wall time (varint) | logical (varint)}. */
    public static Codec<HlcTimestamp> codec() {
        return CODEC;
    }

    private static final Codec<HlcTimestamp> CODEC = new Codec<>() {
        @Override
        public void write(HlcTimestamp value, DataWriter out) {
            out.writeByte(TAG).writeByte(VERSION);
            writeBody(value, out);
        }

        @Override
        public HlcTimestamp read(DataReader in) {
            in.readHeader(TAG, VERSION, "HLC timestamp");
            return readBody(in);
        }
    };
}
