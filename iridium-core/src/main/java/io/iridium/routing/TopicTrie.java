package io.iridium.routing;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token trie from subscription patterns to values, answering "which values subscribed to a
 * pattern that matches this subject?" ({@link Subjects} defines the grammar).
 *
 * <h2>Structure</h2>
 * Each node stands for a token prefix. A node has literal children (an open-addressing hash
 * table keyed by token, looked up straight from the subject's characters, so matching creates no
 * token strings), an optional {@code *} child, the values of patterns that end at the node, and
 * the values of patterns that end with {@code >} right after it ("rest" values).
 * <pre>
 *   patterns  a.b → 1   a.* → 2   a.&gt; → 3   &gt; → 4
 *
 *   root ──rest: {4}
 *    └─ a ──rest: {3}
 *        ├─ b   values: {1}
 *        └─ *   values: {2}
 * </pre>
 * Matching walks the subject token by token from the root, following both the literal child and
 * the {@code *} child, and collects the rest values of every node it passes through with at
 * least one token left, and the end values of the nodes it reaches with the last token. Its
 * cost is bounded by the subject length times the number of wildcard branches, independent of
 * how many patterns are stored; the only allocation is the result set.
 *
 * <h2>Invariants</h2>
 * Each (pattern, value) pair is stored at most once (values are compared with
 * {@link Object#equals}); a node with no values, no children and no {@code *} child is pruned on
 * removal, so the trie's size follows what it holds.
 *
 * <h2>Persistence: snapshots and copy-on-write</h2>
 * Every node carries the edit token of the trie that created it. A modifiable trie changes in
 * place only the nodes carrying its own token, and copies any other node on the path it changes
 * (path copying), so tries can share structure safely:
 * <ul>
 *   <li>{@link #snapshot()} is O(1): it hands out the current root as a read-only trie and takes
 *       a fresh token, so later changes copy the nodes they touch instead of changing them;</li>
 *   <li>{@link #with(String, Object)} and {@link #without(String, Object)} return a new
 *       read-only trie that differs by one pair, copying only the nodes on that pattern's path
 *       (for an {@code AtomicReference<TopicTrie<T>>} updated with {@code updateAndGet});</li>
 *   <li>{@link #mutableCopy()} is O(1) too: a modifiable trie that starts from this one.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * A modifiable trie is not thread-safe. A read-only trie never changes (no node reachable from
 * it is ever modified again), so any number of threads may read it once it is safely published
 * (through a final or volatile field, an {@code AtomicReference}, or a concurrent collection).
 *
 * @param <T> the subscriber type; values must not be null and should be immutable
 */
public final class TopicTrie<T> {

    private static final Object[] NO_VALUES = new Object[0];

    private static final TopicTrie<?> EMPTY = new TopicTrie<>(new Node(null), null, 0);

    /** The most subjects whose matches one read-only trie remembers in {@link #matchShared}. */
    public static final int MAX_MEMOISED_SUBJECTS = 4096;

    private Node root;
    /** The token of the nodes this trie may change in place; null for a read-only trie. */
    private Object edit;
    private int size;
    /** Remembered answers of {@link #matchShared}: only on a read-only trie (null otherwise). */
    private final Map<String, Set<T>> matches;

    /** An empty, modifiable trie. */
    public TopicTrie() {
        this.edit = new Object();
        this.root = new Node(edit);
        this.size = 0;
        this.matches = null;
    }

    private TopicTrie(Node root, Object edit, int size) {
        this.root = root;
        this.edit = edit;
        this.size = size;
        this.matches = edit == null ? new ConcurrentHashMap<>() : null;
    }

    /** The empty read-only trie. */
    @SuppressWarnings("unchecked")
    public static <T> TopicTrie<T> empty() {
        return (TopicTrie<T>) EMPTY;
    }

    /**
     * Subscribes {@code value} to {@code pattern}.
     *
     * @return true if the pair was not already present
     * @throws IllegalArgumentException if {@code pattern} is not a valid pattern
     * @throws UnsupportedOperationException on a {@linkplain #snapshot() snapshot}
     */
    public boolean add(String pattern, T value) {
        mutable();
        Subjects.validatePattern(pattern);
        Objects.requireNonNull(value, "value");
        if (contains(root, pattern, value)) {
            return false;
        }
        root = editable(root);
        Node node = root;
        int start = 0;
        int length = pattern.length();
        while (true) {
            int end = tokenEnd(pattern, start);
            if (end == length && end - start == 1 && pattern.charAt(start) == '>') {
                node.addRest(value);
                size++;
                return true;
            }
            node = isStar(pattern, start, end) ? node.editableStar(edit) : node.editableChild(edit, pattern, start, end);
            if (end == length) {
                node.addValue(value);
                size++;
                return true;
            }
            start = end + 1;
        }
    }

    /**
     * Unsubscribes {@code value} from {@code pattern}.
     *
     * @return true if the pair was present
     * @throws IllegalArgumentException if {@code pattern} is not a valid pattern
     * @throws UnsupportedOperationException on a {@linkplain #snapshot() snapshot}
     */
    public boolean remove(String pattern, T value) {
        mutable();
        Subjects.validatePattern(pattern);
        Objects.requireNonNull(value, "value");
        if (!contains(root, pattern, value)) {
            return false;
        }
        root = editable(root);
        remove(root, pattern, 0, value);
        size--;
        return true;
    }

    /** Removes a pair known to be present below {@code node}, which is editable. */
    private void remove(Node node, String pattern, int start, Object value) {
        int end = tokenEnd(pattern, start);
        int length = pattern.length();
        if (end == length && end - start == 1 && pattern.charAt(start) == '>') {
            node.removeRest(value);
            return;
        }
        boolean star = isStar(pattern, start, end);
        Node child = star ? node.editableStar(edit) : node.editableChild(edit, pattern, start, end);
        if (end == length) {
            child.removeValue(value);
        } else {
            remove(child, pattern, end + 1, value);
        }
        if (child.isEmpty()) {
            if (star) {
                node.star = null;
            } else {
                node.removeChild(pattern, start, end);
            }
        }
    }

    /**
     * A read-only trie with {@code value} subscribed to {@code pattern} in addition to what this
     * one holds; this trie is unchanged. Copies only the nodes on the pattern's path.
     *
     * @throws IllegalArgumentException if {@code pattern} is not a valid pattern
     */
    public TopicTrie<T> with(String pattern, T value) {
        TopicTrie<T> copy = snapshot().mutableCopy();
        copy.add(pattern, value);
        return copy.snapshot();
    }

    /**
     * A read-only trie without the pair ({@code pattern}, {@code value}); this trie is
     * unchanged. Copies only the nodes on the pattern's path.
     *
     * @throws IllegalArgumentException if {@code pattern} is not a valid pattern
     */
    public TopicTrie<T> without(String pattern, T value) {
        TopicTrie<T> copy = snapshot().mutableCopy();
        copy.remove(pattern, value);
        return copy.snapshot();
    }

    /**
     * Whether {@code value} is subscribed to exactly {@code pattern}.
     *
     * @throws IllegalArgumentException if {@code pattern} is not a valid pattern
     */
    public boolean contains(String pattern, T value) {
        Subjects.validatePattern(pattern);
        return contains(root, pattern, Objects.requireNonNull(value, "value"));
    }

    private static boolean contains(Node node, String pattern, Object value) {
        int start = 0;
        int length = pattern.length();
        while (true) {
            int end = tokenEnd(pattern, start);
            if (end == length && end - start == 1 && pattern.charAt(start) == '>') {
                return Node.indexOf(node.rest, node.restCount, value) >= 0;
            }
            node = isStar(pattern, start, end) ? node.star : node.child(pattern, start, end);
            if (node == null) {
                return false;
            }
            if (end == length) {
                return Node.indexOf(node.values, node.valueCount, value) >= 0;
            }
            start = end + 1;
        }
    }

    private Node editable(Node node) {
        return node.edit == edit ? node : node.copy(edit);
    }

    /**
     * The values subscribed to a pattern that matches {@code subject}: a new set that the caller
     * owns, empty when nothing matches. Each value appears once however many of its patterns match.
     *
     * @throws IllegalArgumentException if {@code subject} is not a valid subject
     */
    public Set<T> match(String subject) {
        Subjects.validateSubject(subject);
        Set<T> result = new HashSet<>();
        match(root, subject, 0, result);
        return result;
    }

    /**
     * The values subscribed to a pattern that matches {@code subject}, as an unmodifiable set that
     * may be shared: on a read-only trie, a non-empty answer for each subject is computed once and
     * remembered (for up to {@link #MAX_MEMOISED_SUBJECTS} subjects, then computed each time),
     * so a stream of events on the same subjects costs a map lookup each. Use it on hot paths
     * that only read the result.
     *
     * @throws IllegalArgumentException if {@code subject} is not a valid subject
     */
    public Set<T> matchShared(String subject) {
        Map<String, Set<T>> memo = matches;
        if (memo == null) {
            return Collections.unmodifiableSet(match(subject));
        }
        Set<T> known = memo.get(subject);
        if (known != null) {
            return known;
        }
        Set<T> computed = Set.copyOf(match(subject));
        if (!computed.isEmpty() && memo.size() < MAX_MEMOISED_SUBJECTS) { // no-match names could be endless
            memo.put(subject, computed);
        }
        return computed;
    }

    /** Whether at least one pattern matches {@code subject}; allocates nothing. */
    public boolean hasMatch(String subject) {
        Subjects.validateSubject(subject);
        return hasMatch(root, subject, 0);
    }

    @SuppressWarnings("unchecked")
    private static <T> void match(Node node, String subject, int start, Set<T> result) {
        addAll(result, node.rest, node.restCount);
        int end = tokenEnd(subject, start);
        Node literal = node.child(subject, start, end);
        Node star = node.star;
        if (end == subject.length()) {
            if (literal != null) {
                addAll(result, literal.values, literal.valueCount);
            }
            if (star != null) {
                addAll(result, star.values, star.valueCount);
            }
            return;
        }
        if (literal != null) {
            match(literal, subject, end + 1, result);
        }
        if (star != null) {
            match(star, subject, end + 1, result);
        }
    }

    private static boolean hasMatch(Node node, String subject, int start) {
        if (node.restCount > 0) {
            return true;
        }
        int end = tokenEnd(subject, start);
        Node literal = node.child(subject, start, end);
        Node star = node.star;
        if (end == subject.length()) {
            return (literal != null && literal.valueCount > 0) || (star != null && star.valueCount > 0);
        }
        return (literal != null && hasMatch(literal, subject, end + 1))
                || (star != null && hasMatch(star, subject, end + 1));
    }

    @SuppressWarnings("unchecked")
    private static <T> void addAll(Set<T> result, Object[] values, int count) {
        for (int i = 0; i < count; i++) {
            result.add((T) values[i]);
        }
    }

    /** How many (pattern, value) pairs the trie holds. */
    public int size() {
        return size;
    }

    /** Whether the trie holds no pairs. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether this trie is read-only (a {@linkplain #snapshot() snapshot}, or from {@link #with}/{@link #without}). */
    public boolean isReadOnly() {
        return edit == null;
    }

    /**
     * A read-only trie holding what this one holds now, unaffected by later changes to this one
     * and safe to share between threads (see the class comment). O(1): later changes to this
     * trie copy the nodes they touch. A read-only trie is its own snapshot.
     */
    public TopicTrie<T> snapshot() {
        if (edit == null) {
            return this;
        }
        edit = new Object();
        return new TopicTrie<>(root, null, size);
    }

    /** A modifiable trie starting from what this one holds now; O(1), copy-on-write. */
    public TopicTrie<T> mutableCopy() {
        TopicTrie<T> base = snapshot();
        return new TopicTrie<>(base.root, new Object(), base.size);
    }

    @Override
    public String toString() {
        return "TopicTrie[" + size + " subscriptions" + (edit == null ? ", read-only]" : "]");
    }

    private void mutable() {
        if (edit == null) {
            throw new UnsupportedOperationException("a TopicTrie snapshot is read-only");
        }
    }

    private static int tokenEnd(String text, int start) {
        int dot = text.indexOf('.', start);
        return dot < 0 ? text.length() : dot;
    }

    private static boolean isStar(String text, int start, int end) {
        return end - start == 1 && text.charAt(start) == '*';
    }

    /** Hash of {@code text[start, end)}, equal to {@link String#hashCode()} of that substring. */
    private static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return spread(h);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /**
     * One trie node. Literal children live in an open-addressing table with linear probing
     * ({@code keys[i] == null} marks a free slot; capacity a power of two, at most half full);
     * value arrays grow by doubling and keep insertion order. Only a trie holding the node's
     * {@code edit} token changes it; others {@link #copy} it first.
     */
    private static final class Node {
        final Object edit;
        String[] keys;
        Node[] children;
        int childCount;
        Node star;
        Object[] values = NO_VALUES;
        int valueCount;
        Object[] rest = NO_VALUES;
        int restCount;

        Node(Object edit) {
            this.edit = edit;
        }

        /** A shallow copy owned by {@code newEdit}: own arrays, shared children. */
        Node copy(Object newEdit) {
            Node copy = new Node(newEdit);
            if (keys != null) {
                copy.keys = keys.clone();
                copy.children = children.clone();
                copy.childCount = childCount;
            }
            copy.star = star;
            copy.values = valueCount == 0 ? NO_VALUES : Arrays.copyOf(values, valueCount);
            copy.valueCount = valueCount;
            copy.rest = restCount == 0 ? NO_VALUES : Arrays.copyOf(rest, restCount);
            copy.restCount = restCount;
            return copy;
        }

        boolean isEmpty() {
            return childCount == 0 && star == null && valueCount == 0 && restCount == 0;
        }

        Node child(String text, int start, int end) {
            String[] table = keys;
            if (table == null) {
                return null;
            }
            int mask = table.length - 1;
            int length = end - start;
            for (int i = hash(text, start, end) & mask; ; i = (i + 1) & mask) {
                String key = table[i];
                if (key == null) {
                    return null;
                }
                if (key.length() == length && key.regionMatches(0, text, start, length)) {
                    return children[i];
                }
            }
        }

        /** The {@code *} child, created or copied so that it carries {@code edit}. */
        Node editableStar(Object edit) {
            if (star == null) {
                star = new Node(edit);
            } else if (star.edit != edit) {
                star = star.copy(edit);
            }
            return star;
        }

        /** The literal child for {@code text[start, end)}, created or copied so that it carries {@code edit}. */
        Node editableChild(Object edit, String text, int start, int end) {
            if (keys != null) {
                int mask = keys.length - 1;
                int length = end - start;
                for (int i = hash(text, start, end) & mask; keys[i] != null; i = (i + 1) & mask) {
                    String key = keys[i];
                    if (key.length() == length && key.regionMatches(0, text, start, length)) {
                        if (children[i].edit != edit) {
                            children[i] = children[i].copy(edit);
                        }
                        return children[i];
                    }
                }
            }
            if (keys == null || (childCount + 1) * 2 > keys.length) {
                resize(keys == null ? 4 : keys.length * 2);
            }
            Node created = new Node(edit);
            insert(text.substring(start, end), created);
            childCount++;
            return created;
        }

        void removeChild(String text, int start, int end) {
            String[] oldKeys = keys;
            Node[] oldChildren = children;
            int length = end - start;
            keys = new String[oldKeys.length];
            children = new Node[oldKeys.length];
            childCount = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                String key = oldKeys[i];
                if (key != null && !(key.length() == length && key.regionMatches(0, text, start, length))) {
                    insert(key, oldChildren[i]);
                    childCount++;
                }
            }
            if (childCount == 0) {
                keys = null;
                children = null;
            }
        }

        private void resize(int capacity) {
            String[] oldKeys = keys;
            Node[] oldChildren = children;
            keys = new String[capacity];
            children = new Node[capacity];
            if (oldKeys != null) {
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != null) {
                        insert(oldKeys[i], oldChildren[i]);
                    }
                }
            }
        }

        private void insert(String key, Node child) {
            int mask = keys.length - 1;
            int i = spread(key.hashCode()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            children[i] = child;
        }

        /** Appends a value known to be absent. */
        void addValue(Object value) {
            values = grow(values, valueCount);
            values[valueCount++] = value;
        }

        /** Appends a rest value known to be absent. */
        void addRest(Object value) {
            rest = grow(rest, restCount);
            rest[restCount++] = value;
        }

        void removeValue(Object value) {
            int at = indexOf(values, valueCount, value);
            System.arraycopy(values, at + 1, values, at, valueCount - at - 1);
            values[--valueCount] = null;
        }

        void removeRest(Object value) {
            int at = indexOf(rest, restCount, value);
            System.arraycopy(rest, at + 1, rest, at, restCount - at - 1);
            rest[--restCount] = null;
        }

        static int indexOf(Object[] array, int count, Object value) {
            for (int i = 0; i < count; i++) {
                if (array[i].equals(value)) {
                    return i;
                }
            }
            return -1;
        }

        private static Object[] grow(Object[] array, int count) {
            if (count < array.length) {
                return array;
            }
            Object[] bigger = new Object[Math.max(2, array.length * 2)];
            System.arraycopy(array, 0, bigger, 0, count);
            return bigger;
        }
    }
}
