package io.iridium.relay.server;

import java.nio.charset.StandardCharsets;

/**
 * Maps an Iris topic onto the Iridium subject that carries it. Iris topics are literal strings
 * matched exactly; Iridium subjects are {@code .}-separated tokens in which a whole {@code *} or
 * {@code >} token is a wildcard and empty tokens, whitespace and control characters are not allowed.
 * The mapping keeps every ordinary topic as it is ({@code orders.eu} stays {@code orders.eu}, so
 * native Iridium programs and Iris programs share such topics) and percent-escapes only what a
 * subject cannot say literally:
 *
 * <ul>
 *   <li>{@code %}, whitespace and control characters, always (as their UTF-8 bytes, {@code %XX});</li>
 *   <li>a {@code .} that would leave an empty token (leading, trailing or doubled) as {@code %2E};</li>
 *   <li>a token that is exactly {@code *} or {@code >} as {@code %2A} or {@code %3E};</li>
 *   <li>the empty topic as a lone {@code %}.</li>
 * </ul>
 *
 * <p>The result is a subject without wildcards, so subscribing to it matches exactly that subject,
 * and percent-decoding gives the topic back, so distinct topics never share a subject. Pure and
 * thread-safe.
 */
final class IrisTopics {
    private IrisTopics() {}

    /** The Iridium subject for Iris topic {@code topic}. */
    static String toSubject(String topic) {
        if (topic.isEmpty()) {
            return "%";
        }
        StringBuilder out = new StringBuilder(topic.length() + 8);
        int tokenStart = 0;
        for (int i = 0; i <= topic.length(); i++) {
            if (i == topic.length() || topic.charAt(i) == '.') {
                appendToken(out, topic.substring(tokenStart, i));
                if (i < topic.length()) {
                    boolean separates = i > tokenStart && i + 1 < topic.length() && topic.charAt(i + 1) != '.';
                    out.append(separates ? "." : "%2E");
                }
                tokenStart = i + 1;
            }
        }
        return out.toString();
    }

    private static void appendToken(StringBuilder out, String token) {
        if (token.equals("*")) {
            out.append("%2A");
            return;
        }
        if (token.equals(">")) {
            out.append("%3E");
            return;
        }
        for (int i = 0; i < token.length(); ) {
            int codePoint = token.codePointAt(i);
            int width = Character.charCount(codePoint);
            if (codePoint == '%' || codePoint <= ' ' || Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                    || Character.isISOControl(codePoint)) {
                for (byte b : token.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else {
                out.appendCodePoint(codePoint);
            }
            i += width;
        }
    }
}
