package io.iridium.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Strict UTF-8 for string fields. Java's {@code String.getBytes(UTF_8)} silently replaces
 * unpaired surrogates and {@code new String(bytes, UTF_8)} silently replaces malformed input;
 * either would break the invariant that decoding and re-encoding a frame is the identity. So
 * records reject unencodable strings at construction and the decoder rejects malformed bytes,
 * both with {@link CodingErrorAction#REPORT}.
 */
final class Text {

    private Text() {}

    /** Throws unless {@code text} is non-null, encodable, and at most the text bound in UTF-8. */
    static void requireEncodable(String text, String field) {
        Objects.requireNonNull(text, field);
        if (text == lastEncodable) {
            return; // the same instance as last time (a publisher's topic constant, a cached decoded name)
        }
        int bytes = utf8Length(text, field);
        if (bytes > WireMessage.MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(
                    field + " is " + bytes + " bytes of UTF-8, more than " + WireMessage.MAX_TEXT_BYTES);
        }
        lastEncodable = text;
    }

    /**
     * The last string {@link #requireEncodable} accepted. Racy by design and safe: a thread sees
     * either null or some string that was accepted (strings are immutable and safely published),
     * so a hit is always an encodable string, and a miss only costs the check.
     */
    private static String lastEncodable;

    static void requireU16(int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " must be 0..65535, got " + value);
        }
    }

    /** The UTF-8 bytes of an already validated string. */
    static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes strict UTF-8.
     *
     * @throws CharacterCodingException on malformed or truncated sequences
     */
    static String decode(ByteBuffer bytes) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return decoder.decode(bytes).toString();
    }

    private static int utf8Length(String text, String field) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw new IllegalArgumentException(field + " has an unpaired surrogate at index " + i);
                }
                length += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException(field + " has an unpaired surrogate at index " + i);
            } else {
                length += 3;
            }
        }
        return length;
    }
}
