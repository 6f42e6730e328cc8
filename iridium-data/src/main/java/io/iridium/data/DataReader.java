package io.iridium.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the primitives written by {@link DataWriter} from a byte array, checking every read
 * against the bytes that remain.
 *
 * <p>Every malformed input ends in a {@link CorruptDataException} naming the offset: a read past
 * the end, a varint longer than ten bytes or not minimal, a boolean other than 0 or 1, invalid
 * UTF-8, a count that the remaining bytes could not possibly hold. Counts are checked before
 * anything is allocated for them, so a hostile length prefix cannot make a decoder allocate
 * more than the input's own size.
 *
 * <p>Not thread-safe: one reader belongs to one decoding.
 */
public final class DataReader {

    private final byte[] input;
    private int position;

    /** A reader at the start of {@code input} (not copied: do not change it while reading). */
    public DataReader(byte[] input) {
        this.input = input;
    }

    /** The offset of the next byte to read. */
    public int position() {
        return position;
    }

    /** How many bytes are left. */
    public int remaining() {
        return input.length - position;
    }

    /** A {@link CorruptDataException} saying {@code what} went wrong at the current offset. */
    public CorruptDataException corrupt(String what) {
        return new CorruptDataException(what + " (at byte " + position + " of " + input.length + ")");
    }

    private void need(int bytes, String what) {
        if (remaining() < bytes) {
            throw corrupt("truncated input: " + what + " needs " + bytes + " bytes, " + remaining() + " left");
        }
    }

    /** Reads one byte as an unsigned value 0..255. */
    public int readUnsignedByte() {
        need(1, "a byte");
        return input[position++] & 0xFF;
    }

    /** Reads a boolean written as exactly 0 or 1. */
    public boolean readBoolean() {
        int value = readUnsignedByte();
        if (value > 1) {
            position--;
            throw corrupt("a boolean must be 0 or 1, got " + value);
        }
        return value == 1;
    }

    /** Reads a minimal unsigned LEB128 varint of at most ten bytes. */
    public long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readUnsignedByte();
            if (shift == 63 && b > 1) {
                throw corrupt("varint overflows 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw corrupt("varint is not minimal");
                }
                return result;
            }
        }
        throw corrupt("varint longer than ten bytes");
    }

    /** Reads a varint that must lie in {@code [0, Long.MAX_VALUE]}. */
    public long readNonNegativeVarLong() {
        long value = readVarLong();
        if (value < 0) {
            throw corrupt("value out of range: " + Long.toUnsignedString(value));
        }
        return value;
    }

    /** Reads a varint that must lie in {@code [min, max]}; {@code what} names it in errors. */
    public long readVarLong(long min, long max, String what) {
        long value = readNonNegativeVarLong();
        if (value < min || value > max) {
            throw corrupt(what + " out of range [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    /** Reads a zigzag-encoded signed varint. */
    public long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Reads eight big-endian bytes. */
    public long readLong() {
        need(8, "a long");
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (input[position++] & 0xFF);
        }
        return value;
    }

    /**
     * Reads a collection size, checking that the remaining input could hold that many items of
     * at least {@code minItemBytes} bytes each, so callers may allocate for it safely.
     */
    public int readCount(int minItemBytes) {
        long count = readNonNegativeVarLong();
        if (count > remaining() / Math.max(1, minItemBytes)) {
            throw corrupt("count " + count + " cannot fit in the " + remaining() + " bytes left");
        }
        return (int) count;
    }

    /** Reads a varint length and that many bytes. */
    public byte[] readBytes() {
        int length = readCount(1);
        byte[] bytes = Arrays.copyOfRange(input, position, position + length);
        position += length;
        return bytes;
    }

    /** Reads a varint length and that many bytes of valid UTF-8. */
    public String readString() {
        byte[] bytes = readBytes();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CorruptDataException("invalid UTF-8 before byte " + position, e);
        }
    }

    /** Reads the sixteen bytes of a replica identity. */
    public ReplicaId readReplica() {
        return new ReplicaId(readLong(), readLong());
    }

    /**
     * Reads a one-byte type tag and a one-byte format version, failing unless they are
     * {@code tag} and {@code version}; {@code type} names the expected type in errors.
     */
    public void readHeader(int tag, int version, String type) {
        int actualTag = readUnsignedByte();
        if (actualTag != tag) {
            throw corrupt("expected a " + type + " (tag " + tag + "), got tag " + actualTag);
        }
        int actualVersion = readUnsignedByte();
        if (actualVersion != version) {
            throw corrupt("unsupported " + type + " format version " + actualVersion);
        }
    }

    /** Fails unless every byte has been read. */
    public void requireEnd() {
        if (remaining() != 0) {
            throw corrupt(remaining() + " trailing bytes");
        }
    }
}
