package io.iridium.data.clock;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;

/**
 * A Lamport clock (Lamport 1978): one counter that every local event increments and that jumps
 * past any counter received in a message, so that if event {@code a} happened before event
 * {@code b} then {@code time(a) < time(b)}. The converse does not hold; use a
 * {@link VectorClock} to detect concurrency.
 *
 * <p>An immutable value: {@link #tick()} and {@link #receive(LamportClock)} return the next
 * clock. Ties between replicas are broken by whoever uses the clock (for example by replica
 * identity) to obtain a total order.
 *
 * @param time the counter, never negative
 */
public record LamportClock(long time) implements Comparable<LamportClock> {

    /** The clock before any event. */
    public static final LamportClock ZERO = new LamportClock(0);

    private static final int TAG = 0x01;
    private static final int VERSION = 1;

    /** Validates the counter. */
    public LamportClock {
        if (time < 0) {
            throw new IllegalArgumentException("a Lamport time is never negative: " + time);
        }
    }

    /** The clock after one local event (or before sending a message). */
    public LamportClock tick() {
        return new LamportClock(Math.addExact(time, 1));
    }

    /** The clock after receiving a message stamped {@code remote}: {@code max(local, remote) + 1}. */
    public LamportClock receive(LamportClock remote) {
        return new LamportClock(Math.addExact(Math.max(time, remote.time), 1));
    }

    /** The larger of the two clocks: what a replica that has seen both would at least hold. */
    public LamportClock merge(LamportClock other) {
        return time >= other.time ? this : other;
    }

    @Override
    public int compareTo(LamportClock other) {
        return Long.compare(time, other.time);
    }

    /** The binary encoding: tag, version, time as a varint. */
    public static Codec<LamportClock> codec() {
        return CODEC;
    }

    private static final Codec<LamportClock> CODEC = new Codec<>() {
        @Override
        public void write(LamportClock value, DataWriter out) {
            out.writeByte(TAG).writeByte(VERSION).writeVarLong(value.time);
        }

        @Override
        public LamportClock read(DataReader in) {
            in.readHeader(TAG, VERSION, "Lamport clock");
            return new LamportClock(in.readNonNegativeVarLong());
        }
    };
}
