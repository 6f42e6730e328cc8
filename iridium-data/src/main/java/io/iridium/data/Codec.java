package io.iridium.data;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A binary encoding of values of type {@code T}: streaming ({@link #write}/{@link #read}) so that
 * codecs nest (a set's codec uses its elements' codec), and whole-array
 * ({@link #encode}/{@link #decode}) for the replicator.
 *
 * <p>Every clock and CRDT type has one ({@code GCounter.codec()},
 * {@code OrSet.codec(elementCodec)}, ...). Their encodings begin with a one-byte type tag and a
 * one-byte format version, and are canonical: equal values encode to equal bytes.
 *
 * <p><b>Failure:</b> {@link #decode} and {@link #read} throw {@link CorruptDataException}, and
 * nothing else, for any input that is not a valid encoding; {@link #decode} also rejects
 * trailing bytes. Codecs are stateless and safe to share between threads.
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {

    /** Appends the encoding of {@code value} to {@code out}. */
    void write(T value, DataWriter out);

    /**
     * Reads one value from {@code in}.
     *
     * @throws CorruptDataException if the bytes are not a valid encoding
     */
    T read(DataReader in);

    /** The encoding of {@code value} as a new array. */
    default byte[] encode(T value) {
        DataWriter out = new DataWriter();
        write(value, out);
        return out.toByteArray();
    }

    /**
     * Decodes exactly one value from all of {@code bytes}.
     *
     * @throws CorruptDataException if the bytes are not exactly one valid encoding, including
     *                              when the decoded parts break the value's invariants
     */
    default T decode(byte[] bytes) {
        DataReader in = new DataReader(bytes);
        T value;
        try {
            value = read(in);
        } catch (CorruptDataException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException | NullPointerException e) {
            throw new CorruptDataException("invalid value: " + e.getMessage(), e);
        }
        in.requireEnd();
        return value;
    }

    /** UTF-8 strings. */
    static Codec<String> utf8() {
        return Primitives.STRING;
    }

    /** Signed 64-bit integers, zigzag varint encoded. */
    static Codec<Long> int64() {
        return Primitives.LONG;
    }

    /** Byte arrays (copied, so no two values share an array). */
    static Codec<byte[]> bytes() {
        return Primitives.BYTES;
    }

    /** Replica identities. */
    static Codec<ReplicaId> replicaId() {
        return Primitives.REPLICA;
    }

    /**
     * The unsigned lexicographic order of byte arrays; codecs of unordered collections sort
     * items by it to make their encodings canonical.
     */
    static Comparator<byte[]> byteOrder() {
        return Arrays::compareUnsigned;
    }
}
