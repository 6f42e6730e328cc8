package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "orders.eu.created", "a*", ">b", "a.b*c.d", "ünïcödé.ok", "x-y_z:1/2", "😀.ok"})
    void validateSubject_validSubjects_returnedUnchanged(String subject) {
        assertThat(Subjects.validateSubject(subject)).isSameAs(subject);
        assertThat(Subjects.isValidSubject(subject)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", ">", "a.*", "a.>", "*.b.*", "a.*.>", "orders.eu.created"})
    void validatePattern_validPatterns_returnedUnchanged(String pattern) {
        assertThat(Subjects.validatePattern(pattern)).isSameAs(pattern);
        assertThat(Subjects.isValidPattern(pattern)).isTrue();
    }

    @Test
    void validateSubject_problems_eachNamedInTheMessage() {
        assertThatThrownBy(() -> Subjects.validateSubject(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> Subjects.validateSubject("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Subjects.validateSubject("a..b")).hasMessageContaining("empty token at position 1");
        assertThatThrownBy(() -> Subjects.validateSubject(".a")).hasMessageContaining("empty token at position 0");
        assertThatThrownBy(() -> Subjects.validateSubject("a.")).hasMessageContaining("empty token at position 1");
        assertThatThrownBy(() -> Subjects.validateSubject("a b")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Subjects.validateSubject("a\tb")).hasMessageContaining("whitespace").hasMessageContaining("\\u0009");
        assertThatThrownBy(() -> Subjects.validateSubject("a\u00a0b")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Subjects.validateSubject("a.*")).hasMessageContaining("wildcard '*'");
        assertThatThrownBy(() -> Subjects.validateSubject(">")).hasMessageContaining("wildcard '>'");
        assertThatThrownBy(() -> Subjects.validateSubject("a\ud800b")).hasMessageContaining("unpaired");
        assertThatThrownBy(() -> Subjects.validateSubject("a".repeat(Subjects.MAX_SUBJECT_BYTES + 1)))
                .hasMessageContaining("more than " + Subjects.MAX_SUBJECT_BYTES);
        assertThat(Subjects.validateSubject("a".repeat(Subjects.MAX_SUBJECT_BYTES))).hasSize(Subjects.MAX_SUBJECT_BYTES);
        assertThatThrownBy(() -> Subjects.validateSubject("é".repeat(Subjects.MAX_SUBJECT_BYTES / 2 + 1)))
                .hasMessageContaining("UTF-8 bytes");
    }

    @Test
    void validatePattern_fullWildcardNotLast_rejected() {
        assertThatThrownBy(() -> Subjects.validatePattern("a.>.b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'>' may only be the last token");
        assertThatThrownBy(() -> Subjects.validatePattern(">.a")).hasMessageContaining("last token");
        assertThatThrownBy(() -> Subjects.validatePattern("a..*")).hasMessageContaining("empty token");
        assertThatThrownBy(() -> Subjects.validatePattern("a. *")).hasMessageContaining("whitespace");
        assertThat(Subjects.isValidPattern("a.>.b")).isFalse();
    }

    @Test
    void validateCluster_rules() {
        assertThat(Subjects.validateCluster("databases")).isEqualTo("databases");
        assertThat(Subjects.validateCluster("db.eu-1")).isEqualTo("db.eu-1");
        assertThat(Subjects.validateCluster("x".repeat(Subjects.MAX_CLUSTER_BYTES))).isNotEmpty();
        assertThatThrownBy(() -> Subjects.validateCluster(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> Subjects.validateCluster("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Subjects.validateCluster("my db")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Subjects.validateCluster("db\n")).hasMessageContaining("control");
        assertThatThrownBy(() -> Subjects.validateCluster("x".repeat(Subjects.MAX_CLUSTER_BYTES + 1)))
                .hasMessageContaining("more than " + Subjects.MAX_CLUSTER_BYTES);
    }
}
