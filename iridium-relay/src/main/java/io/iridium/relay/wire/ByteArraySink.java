package io.iridium.relay.wire;

import java.util.Arrays;

/** A {@link ByteSink} into a growable array, reusable after {@link #reset()}. Not thread-safe. */
public final class ByteArraySink implements ByteSink {
    private byte[] bytes;
    private int size;

    public ByteArraySink(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    @Override
    public void writeBytes(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }

    /** The internal array; valid up to {@link #size()}. */
    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    public void reset() {
        size = 0;
    }
}
