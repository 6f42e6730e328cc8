package io.iridium.data;

/**
 * Thrown by a {@link Codec} when bytes do not decode to a valid value: truncated input,
 * trailing bytes, an unknown type tag or format version, a count larger than the input could
 * hold, or a decoded value that breaks its type's invariants.
 *
 * <p>It is an {@link IllegalArgumentException}: the input, not the program, is at fault. The
 * replicator treats it as a malformed message (drop, count, log), never as a reason to stop.
 */
public final class CorruptDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** A decoding failure described by {@code message}. */
    public CorruptDataException(String message) {
        super(message);
    }

    /** A decoding failure described by {@code message}, caused by {@code cause}. */
    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
