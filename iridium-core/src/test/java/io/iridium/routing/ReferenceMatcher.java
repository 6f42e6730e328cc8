package io.iridium.routing;

/**
 * The obvious matcher, for checking {@link TopicTrie} against: split both on dots and compare
 * token by token, recursively. Slow and allocating, and clearly right.
 */
final class ReferenceMatcher {

    private ReferenceMatcher() {}

    static boolean matches(String pattern, String subject) {
        return matches(pattern.split("\\.", -1), 0, subject.split("\\.", -1), 0);
    }

    private static boolean matches(String[] pattern, int p, String[] subject, int s) {
        if (p == pattern.length) {
            return s == subject.length;
        }
        if (pattern[p].equals(">")) {
            return s < subject.length; // one or more tokens left
        }
        if (s == subject.length) {
            return false;
        }
        return (pattern[p].equals("*") || pattern[p].equals(subject[s])) && matches(pattern, p + 1, subject, s + 1);
    }
}
