package io.iridium.routing;

import java.nio.charset.StandardCharsets;

/**
 * The grammar of topic subjects, subscription patterns and cluster names, after NATS.
 *
 * <pre>
 *   subject  = token ( "." token )*               e.g. orders.eu.created
 *   pattern  = ptoken ( "." ptoken )*             e.g. orders.*.created, orders.&gt;
 *   token    = one or more characters, none of them '.', whitespace or a control character
 *   ptoken   = token | "*" | "&gt;"                 "&gt;" only as the last token
 * </pre>
 *
 * <p>In a pattern, {@code *} matches exactly one token and {@code >} matches one or more trailing
 * tokens. A wildcard is a wildcard only as a whole token: {@code a*} and {@code >b} are ordinary
 * literal tokens, as in NATS. A subject (what a message is published to) contains no wildcard
 * tokens. Subjects and patterns are at most {@link #MAX_SUBJECT_BYTES} UTF-8 bytes, cluster names
 * at most {@link #MAX_CLUSTER_BYTES}; none may contain unpaired UTF-16 surrogates (they could not
 * travel on the wire).
 *
 * <p>Every check throws {@link IllegalArgumentException} with a message that names the problem
 * and quotes the offending text; a valid argument is returned unchanged. The checks allocate
 * nothing unless they fail. All methods are pure and thread-safe.
 */
public final class Subjects {

    /** The longest subject or pattern, in UTF-8 bytes. */
    public static final int MAX_SUBJECT_BYTES = 1_024;
    /** The longest cluster name, in UTF-8 bytes. */
    public static final int MAX_CLUSTER_BYTES = 255;

    private Subjects() {}

    /**
     * Checks that {@code subject} is a valid subject to publish to: non-empty {@code .}-separated
     * tokens, no whitespace or control characters, no {@code *} or {@code >} wildcard tokens.
     *
     * @return {@code subject}
     * @throws IllegalArgumentException naming the problem
     */
    public static String validateSubject(String subject) {
        check(subject, false);
        return subject;
    }

    /**
     * Checks that {@code pattern} is a valid subscription pattern: as a subject, but tokens may be
     * the wildcard {@code *} (exactly one token) and the last token may be {@code >} (one or more
     * tokens).
     *
     * @return {@code pattern}
     * @throws IllegalArgumentException naming the problem
     */
    public static String validatePattern(String pattern) {
        check(pattern, true);
        return pattern;
    }

    /**
     * Checks that {@code cluster} is a valid cluster name: non-empty, no whitespace or control
     * characters, at most {@link #MAX_CLUSTER_BYTES} UTF-8 bytes. Dots are allowed and carry no
     * meaning.
     *
     * @return {@code cluster}
     * @throws IllegalArgumentException naming the problem
     */
    public static String validateCluster(String cluster) {
        if (cluster == null) {
            throw new IllegalArgumentException("cluster name is null");
        }
        if (cluster.isEmpty()) {
            throw new IllegalArgumentException("cluster name is empty");
        }
        for (int i = 0; i < cluster.length(); i++) {
            char c = cluster.charAt(i);
            if (isBlankOrControl(c)) {
                throw new IllegalArgumentException("cluster name contains whitespace or a control character at index "
                        + i + ": " + quote(cluster));
            }
            i = checkSurrogate(cluster, i, "cluster name");
        }
        int bytes = utf8Length(cluster);
        if (bytes > MAX_CLUSTER_BYTES) {
            throw new IllegalArgumentException("cluster name is " + bytes + " UTF-8 bytes, more than "
                    + MAX_CLUSTER_BYTES + ": " + quote(cluster));
        }
        return cluster;
    }

    /** Whether {@code subject} passes {@link #validateSubject(String)}. */
    public static boolean isValidSubject(String subject) {
        try {
            check(subject, false);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code pattern} passes {@link #validatePattern(String)}. */
    public static boolean isValidPattern(String pattern) {
        try {
            check(pattern, true);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The length of {@code text} in UTF-8 bytes (well-formed UTF-16 assumed). */
    static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    private static void check(String text, boolean pattern) {
        String what = pattern ? "pattern" : "subject";
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        int tokenStart = 0;
        int tokenIndex = 0;
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            if (i == length || text.charAt(i) == '.') {
                int tokenLength = i - tokenStart;
                if (tokenLength == 0) {
                    throw new IllegalArgumentException(what + " has an empty token at position " + tokenIndex
                            + " (tokens are separated by single dots, with none at either end): " + quote(text));
                }
                if (tokenLength == 1) {
                    char only = text.charAt(tokenStart);
                    if (only == '*' && !pattern) {
                        throw new IllegalArgumentException("subject contains the wildcard '*' at position " + tokenIndex
                                + "; wildcards belong in subscription patterns, not in subjects: " + quote(text));
                    }
                    if (only == '>') {
                        if (!pattern) {
                            throw new IllegalArgumentException("subject contains the wildcard '>' at position "
                                    + tokenIndex + "; wildcards belong in subscription patterns, not in subjects: "
                                    + quote(text));
                        }
                        if (i != length) {
                            throw new IllegalArgumentException("pattern has '>' at position " + tokenIndex
                                    + " but '>' may only be the last token: " + quote(text));
                        }
                    }
                }
                tokenStart = i + 1;
                tokenIndex++;
                continue;
            }
            char c = text.charAt(i);
            if (isBlankOrControl(c)) {
                throw new IllegalArgumentException(what + " contains whitespace or a control character at index " + i
                        + ": " + quote(text));
            }
            i = checkSurrogate(text, i, what);
        }
        int bytes = length <= MAX_SUBJECT_BYTES / 3 ? length : utf8Length(text);
        if (bytes > MAX_SUBJECT_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes + " UTF-8 bytes, more than " + MAX_SUBJECT_BYTES
                    + ": " + quote(text.substring(0, 40)) + "...");
        }
    }

    /** Returns the index of the last char of the code point at {@code i}; throws on an unpaired surrogate. */
    private static int checkSurrogate(String text, int i, String what) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
            if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
                throw new IllegalArgumentException(what + " contains whitespace at index " + i + ": " + quote(text));
            }
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException(what + " contains an unpaired UTF-16 surrogate at index " + i);
        }
        return i;
    }

    private static boolean isBlankOrControl(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
    }

    private static String quote(String text) {
        // Shows invisible characters, so the reader can see what was wrong.
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        int shown = Math.min(text.length(), 200);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 0x7F || Character.isSpaceChar(c) && c != ' ' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < text.length()) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
