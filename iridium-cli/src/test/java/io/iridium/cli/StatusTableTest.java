package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.cli.admin.StatusDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code iridium status} renders a node's status document as an aligned table. */
final class StatusTableTest {

    static final String SAMPLE = """
            {
              "self": {"id": "9f1c2b3a00000000000000000000000a", "name": "alpha", "address": "127.0.0.1:7946",
                       "state": "ALIVE", "incarnation": 0, "self": true},
              "members": [
                {"id": "9f1c2b3a00000000000000000000000a", "name": "alpha", "address": "127.0.0.1:7946",
                 "state": "ALIVE", "incarnation": 0, "self": true},
                {"id": "04d2e81700000000000000000000000b", "name": "bravo-long-name", "address": "127.0.0.1:7947",
                 "state": "SUSPECT", "incarnation": 12, "self": false},
                {"id": "c0ffee0000000000000000000000000c", "name": "charlie", "address": "[::1]:7948",
                 "state": "DEAD", "incarnation": 3, "self": false, "aFieldFromTheFuture": 1}
              ]
            }
            """;

    @Test
    void render_sample_alignsEveryColumnUnderItsHeader() {
        List<String> lines = StatusTable.render(StatusDocument.fromJson(SAMPLE)).lines().toList();

        String header = lines.get(0);
        assertThat(header).isEqualTo("  NAME             ID        ADDRESS         STATE    INCARNATION");
        assertThat(lines.get(1)).isEqualTo("* alpha            9f1c2b3a  127.0.0.1:7946  ALIVE              0");
        assertThat(lines.get(2)).isEqualTo("  bravo-long-name  04d2e817  127.0.0.1:7947  SUSPECT           12");
        assertThat(lines.get(3)).isEqualTo("  charlie          c0ffee00  [::1]:7948      DEAD               3");
        for (String column : List.of("ID", "ADDRESS", "STATE")) {
            int at = header.indexOf(column);
            assertThat(lines.subList(1, 4)).allSatisfy(line -> assertThat(line.charAt(at - 1)).isEqualTo(' '));
        }
    }

    @Test
    void render_sample_marksOnlyTheAnsweringNode() {
        List<String> lines = StatusTable.render(StatusDocument.fromJson(SAMPLE)).lines().toList();

        assertThat(lines.subList(1, 4)).filteredOn(line -> line.startsWith("*")).hasSize(1).first().asString()
                .contains("alpha");
    }

    @Test
    void render_sample_endsWithCountsByState() {
        String table = StatusTable.render(StatusDocument.fromJson(SAMPLE));

        assertThat(table).contains("\n3 members: 1 alive, 1 suspect, 1 dead. (* is the node that answered)\n");
    }

    @Test
    void render_documentWithoutRouting_saysNoClusterAndNoTopic() {
        String table = StatusTable.render(StatusDocument.fromJson(SAMPLE));

        assertThat(table).endsWith("answered)\n\n  No cluster is served.\n\n  No topic is subscribed to.\n");
    }

    @Test
    void render_clustersAndTopics_listsTheirNodesByNameAndShortId() {
        String json = SAMPLE.replace("\n  ]\n}", """
                  ],
                  "clusters": [{"name": "databases", "members": [
                      {"id": "9f1c2b3a00000000000000000000000a", "name": "alpha", "address": "127.0.0.1:7946"},
                      {"id": "04d2e81700000000000000000000000b", "name": "bravo-long-name", "address": "127.0.0.1:7947"}]}],
                  "topics": [{"pattern": "orders.*", "subscribers": [
                      {"id": "04d2e81700000000000000000000000b", "name": "bravo-long-name", "address": "127.0.0.1:7947"}]}]
                }""");

        List<String> lines = StatusTable.render(StatusDocument.fromJson(json)).lines().toList();

        assertThat(lines).containsSubsequence(
                "  CLUSTER    MEMBERS",
                "  databases  alpha (9f1c2b3a), bravo-long-name (04d2e817)",
                "",
                "  PATTERN   SUBSCRIBERS",
                "  orders.*  bravo-long-name (04d2e817)");
    }

    @Test
    void fromJson_notAStatusDocument_failsSayingSo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatusDocument.fromJson("{\"members\": []}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a status document");
    }
}
