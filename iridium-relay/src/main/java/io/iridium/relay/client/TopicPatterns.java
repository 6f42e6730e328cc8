package io.iridium.relay.client;

/**
 * Matches a topic against a subscription's pattern as an Iridium relay does: {@code .}-separated
 * tokens, {@code *} matching one token and a final {@code >} one or more. A pattern without
 * wildcards matches only itself, which is all Iris's own relay supports.
 */
final class TopicPatterns {
    private TopicPatterns() {}

    static boolean matches(String pattern, String topic) {
        if (pattern.equals(topic)) {
            return true;
        }
        String[] want = pattern.split("\\.", -1);
        String[] have = topic.split("\\.", -1);
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals(">") && i == want.length - 1) {
                return have.length > i;
            }
            if (i >= have.length || !(want[i].equals("*") || want[i].equals(have[i]))) {
                return false;
            }
        }
        return want.length == have.length;
    }
}
