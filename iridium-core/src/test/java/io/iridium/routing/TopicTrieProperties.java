package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link TopicTrie} against {@link ReferenceMatcher} and a plain set of (pattern, value) pairs:
 * after any sequence of adds and removes, every subject matches exactly the values the reference
 * says, and snapshots taken along the way keep answering for the state they were taken in. A
 * three-letter token alphabet makes literal collisions, {@code *} and {@code >} frequent.
 */
class TopicTrieProperties {

    record Op(boolean add, String pattern, int value) {}

    @Property(tries = 500)
    void match_afterAnyOperations_equalsReference(@ForAll("operations") List<Op> ops,
                                                 @ForAll("subjects") List<String> subjects) {
        TopicTrie<Integer> trie = new TopicTrie<>();
        Set<Op> model = new LinkedHashSet<>();
        List<TopicTrie<Integer>> snapshots = new ArrayList<>();
        List<Set<Op>> snapshotModels = new ArrayList<>();
        for (Op op : ops) {
            Op pair = new Op(true, op.pattern(), op.value());
            if (op.add()) {
                assertThat(trie.add(op.pattern(), op.value())).isEqualTo(model.add(pair));
            } else {
                assertThat(trie.remove(op.pattern(), op.value())).isEqualTo(model.remove(pair));
            }
            assertThat(trie.size()).isEqualTo(model.size());
            if (op.value() % 3 == 0) {
                snapshots.add(trie.snapshot());
                snapshotModels.add(Set.copyOf(model));
            }
        }
        for (String subject : subjects) {
            assertThat(trie.match(subject)).as("subject %s", subject).isEqualTo(expected(model, subject));
            assertThat(trie.hasMatch(subject)).isEqualTo(!expected(model, subject).isEmpty());
            for (int i = 0; i < snapshots.size(); i++) {
                assertThat(snapshots.get(i).match(subject)).isEqualTo(expected(snapshotModels.get(i), subject));
            }
        }
    }

    @Property(tries = 300)
    void withAndWithout_equalTheMutableTrie(@ForAll("operations") List<Op> ops, @ForAll("subjects") List<String> subjects) {
        TopicTrie<Integer> mutable = new TopicTrie<>();
        TopicTrie<Integer> persistent = TopicTrie.empty();
        List<TopicTrie<Integer>> history = new ArrayList<>();
        List<Set<Integer>[]> answers = new ArrayList<>();
        for (Op op : ops) {
            if (op.add()) {
                mutable.add(op.pattern(), op.value());
                persistent = persistent.with(op.pattern(), op.value());
            } else {
                mutable.remove(op.pattern(), op.value());
                persistent = persistent.without(op.pattern(), op.value());
            }
            history.add(persistent);
            answers.add(answers(persistent, subjects));
        }
        assertThat(persistent.size()).isEqualTo(mutable.size());
        for (String subject : subjects) {
            assertThat(persistent.match(subject)).isEqualTo(mutable.match(subject));
        }
        for (int i = 0; i < history.size(); i++) {
            assertThat(answers(history.get(i), subjects)).as("version %d unchanged", i).isEqualTo(answers.get(i));
        }
    }

    @Property(tries = 1_000)
    void validatePattern_acceptsExactlyTheGrammar(@ForAll("anyTokens") List<String> tokens) {
        String pattern = String.join(".", tokens);
        boolean grammatical = !tokens.isEmpty();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            grammatical &= !token.isEmpty() && token.chars().noneMatch(c -> c == ' ' || c == '.')
                    && (!token.equals(">") || i == tokens.size() - 1);
        }
        assertThat(Subjects.isValidPattern(pattern)).as(pattern).isEqualTo(grammatical);
    }

    @SuppressWarnings("unchecked")
    private static Set<Integer>[] answers(TopicTrie<Integer> trie, List<String> subjects) {
        Set<Integer>[] result = new Set[subjects.size()];
        for (int i = 0; i < subjects.size(); i++) {
            result[i] = trie.match(subjects.get(i));
        }
        return result;
    }

    private static Set<Integer> expected(Set<Op> model, String subject) {
        Set<Integer> values = new HashSet<>();
        for (Op pair : model) {
            if (ReferenceMatcher.matches(pair.pattern(), subject)) {
                values.add(pair.value());
            }
        }
        return values;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<String> token = Arbitraries.of("a", "b", "c", "*");
        Arbitrary<String> pattern = Combinators.combine(token.list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().between(0, 3))
                .as((tokens, rest) -> rest == 0 ? String.join(".", tokens) + ".>"
                        : rest == 1 && tokens.size() == 1 ? ">" : String.join(".", tokens));
        return Combinators.combine(Arbitraries.integers().between(0, 3).map(i -> i > 0), pattern,
                        Arbitraries.integers().between(0, 6))
                .as(Op::new).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<String>> subjects() {
        return Arbitraries.of("a", "b", "c", "d").list().ofMinSize(1).ofMaxSize(5)
                .map(tokens -> String.join(".", tokens)).list().ofMinSize(1).ofMaxSize(15);
    }

    @Provide
    Arbitrary<List<String>> anyTokens() {
        return Arbitraries.of("a", "bc", "*", ">", "", " ", "a b", "x*", ">y").list().ofMaxSize(5);
    }
}
