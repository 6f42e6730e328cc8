package io.iridium.relay.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one packet's fields from a window of a byte array, for a {@link FrameGrammar}.
 *
 * <p>Running out of bytes is not an error: the reader sets {@link #underflow()}, remembers how many
 * bytes the packet needs at least ({@link #needed()}, known once a length has been read), and every
 * later read returns a placeholder without reading; the grammar finishes and its result is thrown
 * away. Lengths are compared with their {@link WireLimits} bound before anything is allocated, and
 * a length over its bound is a {@link RelayProtocolException} even when its bytes have not arrived.
 */
public final class FieldReader {
    private final WireLimits limits;
    private byte[] bytes;
    private int position;
    private int limit;
    private boolean underflow;
    private int needed;

    FieldReader(WireLimits limits) {
        this.limits = limits;
    }

    void reset(byte[] bytes, int position, int limit) {
        this.bytes = bytes;
        this.position = position;
        this.limit = limit;
        this.underflow = false;
        this.needed = 0;
    }

    /** The limits that bound this reader's lengths. */
    public WireLimits limits() {
        return limits;
    }

    int position() {
        return position;
    }

    /** True once a read ran past the bytes available: the packet is incomplete. */
    public boolean underflow() {
        return underflow;
    }

    /** The absolute end the packet needs at least, once known; 0 otherwise. */
    int needed() {
        return needed;
    }

    /** An unsigned LEB128 varint of at most 64 bits (10 octets; an overflow is a violation). */
    public long varint(String field) throws RelayProtocolException {
        if (underflow) {
            return 0;
        }
        long value = 0;
        for (int shift = 0, i = position; ; shift += 7, i++) {
            if (i >= limit) {
                underflow = true;
                return 0;
            }
            int b = bytes[i] & 0xFF;
            if (shift == 63 && b > 1) {
                throw new RelayProtocolException("varint " + field + " overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                position = i + 1;
                return value;
            }
        }
    }

    /** A varint that must not exceed {@code max}. */
    public long varint(String field, long max) throws RelayProtocolException {
        return boundedVarint(field, "", max);
    }

    /**
     * A varint that must not exceed {@code max}, named {@code field + suffix} in errors. The two
     * parts are joined only for an error: this runs for every field of every packet.
     */
    private long boundedVarint(String field, String suffix, long max) throws RelayProtocolException {
        long value = varint(field);
        if (Long.compareUnsigned(value, max) > 0) {
            throw new RelayProtocolException(field + suffix + " " + Long.toUnsignedString(value) + " exceeds " + max);
        }
        return value;
    }

    /** A bool: {@code 00} or {@code 01}; any other octet is a violation. */
    public boolean bool(String field) throws RelayProtocolException {
        if (underflow) {
            return false;
        }
        if (position >= limit) {
            underflow = true;
            return false;
        }
        int b = bytes[position] & 0xFF;
        if (b > 1) {
            throw new RelayProtocolException("bool " + field + " is 0x" + Integer.toHexString(b) + ", not 0 or 1");
        }
        position++;
        return b == 1;
    }

    /** A length-prefixed byte field of at most {@code max} octets; null on underflow. */
    public byte[] bytes(String field, int max) throws RelayProtocolException {
        long length = boundedVarint(field, " length", max);
        if (underflow) {
            return null;
        }
        if (limit - position < length) {
            underflow = true;
            needed = (int) Math.min(Integer.MAX_VALUE, position + length);
            return null;
        }
        byte[] value = Arrays.copyOfRange(bytes, position, position + (int) length);
        position += (int) length;
        return value;
    }

    /** A UTF-8 string field of at most {@code max} octets; null on underflow. */
    public String string(String field, int max) throws RelayProtocolException {
        if (underflow) {
            return null;
        }
        long length = boundedVarint(field, " length", max);
        if (underflow) {
            return null;
        }
        if (limit - position < length) {
            underflow = true;
            needed = (int) Math.min(Integer.MAX_VALUE, position + length);
            return null;
        }
        String value = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
        position += (int) length;
        return value;
    }
}
