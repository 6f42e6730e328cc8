package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TopicTrieTest {

    @Test
    void match_literalStarAndRest_nats_semantics() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.add("orders.eu.created", "exact");
        trie.add("orders.*.created", "star");
        trie.add("orders.>", "rest");
        trie.add(">", "all");
        trie.add("*", "oneToken");
        trie.add("*.*.*", "threeTokens");

        assertThat(trie.match("orders.eu.created")).containsExactlyInAnyOrder("exact", "star", "rest", "all", "threeTokens");
        assertThat(trie.match("orders.us.created")).containsExactlyInAnyOrder("star", "rest", "all", "threeTokens");
        assertThat(trie.match("orders")).containsExactlyInAnyOrder("all", "oneToken");
        assertThat(trie.match("orders.eu")).containsExactlyInAnyOrder("rest", "all");
        assertThat(trie.match("orders.eu.created.late")).containsExactlyInAnyOrder("rest", "all");
        assertThat(trie.match("invoices.eu.created")).containsExactlyInAnyOrder("all", "threeTokens");
    }

    @Test
    void match_restNeedsAtLeastOneToken() {
        TopicTrie<Integer> trie = new TopicTrie<>();
        trie.add("a.>", 1);
        assertThat(trie.match("a")).isEmpty();
        assertThat(trie.match("a.b")).containsExactly(1);
        assertThat(trie.hasMatch("a")).isFalse();
        assertThat(trie.hasMatch("a.b.c")).isTrue();
    }

    @Test
    void match_partialWildcardTokens_areLiterals() {
        TopicTrie<Integer> trie = new TopicTrie<>();
        trie.add("a*.b", 1);
        trie.add("a.>b", 2);
        assertThat(trie.match("ax.b")).isEmpty();
        assertThat(trie.match("a*.b")).containsExactly(1);
        assertThat(trie.match("a.>b")).containsExactly(2);
        assertThat(trie.match("a.c")).isEmpty();
    }

    @Test
    void match_valueUnderSeveralMatchingPatterns_appearsOnce() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.add("a.b", "n1");
        trie.add("a.*", "n1");
        trie.add(">", "n1");
        assertThat(trie.match("a.b")).containsExactly("n1");
        assertThat(trie.size()).isEqualTo(3);
    }

    @Test
    void addRemove_pairSemantics_andPruning() {
        TopicTrie<String> trie = new TopicTrie<>();
        assertThat(trie.add("a.b.c", "x")).isTrue();
        assertThat(trie.add("a.b.c", "x")).isFalse();
        assertThat(trie.add("a.b.c", "y")).isTrue();
        assertThat(trie.remove("a.b", "x")).isFalse();
        assertThat(trie.remove("a.b.c", "z")).isFalse();
        assertThat(trie.remove("a.b.c", "x")).isTrue();
        assertThat(trie.match("a.b.c")).containsExactly("y");
        assertThat(trie.remove("a.b.c", "y")).isTrue();
        assertThat(trie.isEmpty()).isTrue();
        assertThat(trie.match("a.b.c")).isEmpty();
        assertThat(trie.contains("a.b.c", "y")).isFalse();
    }

    @Test
    void manyLiteralChildren_growTheTable_andAllStayReachable() {
        TopicTrie<Integer> trie = new TopicTrie<>();
        for (int i = 0; i < 1_000; i++) {
            trie.add("t." + i, i);
        }
        for (int i = 0; i < 1_000; i += 2) {
            trie.remove("t." + i, i);
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(trie.match("t." + i)).isEqualTo(i % 2 == 0 ? Set.of() : Set.of(i));
        }
        assertThat(trie.size()).isEqualTo(500);
    }

    @Test
    void snapshot_isReadOnly_andUnaffectedByLaterChanges() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.add("a.b", "x");
        TopicTrie<String> snapshot = trie.snapshot();
        trie.add("a.b", "y");
        trie.remove("a.b", "x");
        trie.add("a.*", "z");

        assertThat(snapshot.isReadOnly()).isTrue();
        assertThat(snapshot.match("a.b")).containsExactly("x");
        assertThat(snapshot.size()).isEqualTo(1);
        assertThat(trie.match("a.b")).containsExactlyInAnyOrder("y", "z");
        assertThat(snapshot.snapshot()).isSameAs(snapshot);
        assertThatThrownBy(() -> snapshot.add("c", "w")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.remove("a.b", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withAndWithout_persistent_leaveTheOriginalAlone() {
        AtomicReference<TopicTrie<String>> ref = new AtomicReference<>(TopicTrie.empty());
        ref.updateAndGet(t -> t.with("a.>", "s1"));
        TopicTrie<String> one = ref.get();
        ref.updateAndGet(t -> t.with("a.b", "s2"));
        TopicTrie<String> two = ref.get();
        ref.updateAndGet(t -> t.without("a.>", "s1"));

        assertThat(one.match("a.b")).containsExactly("s1");
        assertThat(two.match("a.b")).containsExactlyInAnyOrder("s1", "s2");
        assertThat(ref.get().match("a.b")).containsExactly("s2");
        assertThat(TopicTrie.<String>empty().isEmpty()).isTrue();
        assertThat(two.without("x.y", "s1").size()).isEqualTo(2);
    }

    @Test
    void mutableCopy_changesDoNotLeakIntoTheSource() {
        TopicTrie<String> base = new TopicTrie<>();
        base.add("a.b.c", "x");
        TopicTrie<String> copy = base.mutableCopy();
        copy.add("a.b.c", "y");
        copy.remove("a.b.c", "x");
        base.add("a.b.d", "z");

        assertThat(base.match("a.b.c")).containsExactly("x");
        assertThat(copy.match("a.b.c")).containsExactly("y");
        assertThat(copy.match("a.b.d")).isEmpty();
    }

    @Test
    void invalidArguments_rejected() {
        TopicTrie<String> trie = new TopicTrie<>();
        assertThatThrownBy(() -> trie.add("a..b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trie.add("a.>.b", "x")).hasMessageContaining("last token");
        assertThatThrownBy(() -> trie.match("a.*")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> trie.match("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> trie.add("a", null)).isInstanceOf(NullPointerException.class);
    }
}
