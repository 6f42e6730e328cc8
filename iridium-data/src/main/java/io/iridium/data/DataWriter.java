package io.iridium.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An append-only, growable byte buffer that writes the primitives of Iridium's data encoding.
 *
 * <p>The primitives, and how {@link DataReader} reads them back:
 * <pre>
 *   byte      1 byte
 *   boolean   1 byte, 0 or 1
 *   varint    unsigned LEB128, 1..10 bytes, minimal (no trailing 0x80 0x00 padding)
 *   zigzag    signed value mapped to unsigned ((n &lt;&lt; 1) ^ (n &gt;&gt; 63)), then varint
 *   long      8 bytes, big-endian
 *   bytes     varint length, then the bytes
 *   string    varint length, then that many bytes of UTF-8
 *   replica   16 bytes: high then low, each big-endian
 * </pre>
 * Collections are written as a varint count followed by the items; codecs of unordered values
 * sort the items (by natural order, or by their encoded bytes) so that equal values always
 * encode to equal bytes, which lets the replicator compare digests.
 *
 * <p>Not thread-safe: one writer belongs to one encoding.
 */
public final class DataWriter {

    private byte[] buffer;
    private int size;

    /** An empty writer. */
    public DataWriter() {
        this.buffer = new byte[64];
    }

    private void ensure(int extra) {
        if (buffer.length - size < extra) {
            int wanted = Math.max(buffer.length * 2, size + extra);
            buffer = Arrays.copyOf(buffer, wanted);
        }
    }

    /** Appends one byte (the low eight bits of {@code value}). */
    public DataWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    /** Appends {@code 1} for true, {@code 0} for false. */
    public DataWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    /** Appends {@code value} as an unsigned LEB128 varint (negative values take ten bytes). */
    public DataWriter writeVarLong(long value) {
        ensure(10);
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        buffer[size++] = (byte) rest;
        return this;
    }

    /** Appends {@code value} zigzag-encoded, so small negative numbers stay short. */
    public DataWriter writeSignedVarLong(long value) {
        return writeVarLong((value << 1) ^ (value >> 63));
    }

    /** Appends {@code value} as eight big-endian bytes. */
    public DataWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Appends a varint length and then {@code bytes}. */
    public DataWriter writeBytes(byte[] bytes) {
        writeVarLong(bytes.length);
        return writeRaw(bytes);
    }

    /** Appends {@code bytes} as they are, with no length. */
    public DataWriter writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Appends {@code value} as a varint length and its UTF-8 bytes. */
    public DataWriter writeString(String value) {
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends the sixteen bytes of {@code replica}. */
    public DataWriter writeReplica(ReplicaId replica) {
        writeLong(replica.high());
        return writeLong(replica.low());
    }

    /** How many bytes have been written. */
    public int size() {
        return size;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
