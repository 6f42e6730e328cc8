package io.iridium.cli;

import io.iridium.NodeId;
import io.iridium.cli.admin.StatusDocument;
import io.iridium.cli.admin.StatusDocument.MemberEntry;
import io.iridium.cli.admin.StatusDocument.NodeRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link StatusDocument} as an aligned plain-text table for {@code iridium status}.
 *
 * <pre>
 *    NAME    ID        ADDRESS         STATE  INCARNATION
 *  * node-a  9f1c2b3a  127.0.0.1:7946  ALIVE            0
 *    node-b  04d2e817  127.0.0.1:7947  ALIVE            2
 *
 *  2 members: 2 alive. (* is the node that answered)
 *
 *    CLUSTER    MEMBERS
 *    databases  node-a (9f1c2b3a), node-b (04d2e817)
 *
 *    PATTERN    SUBSCRIBERS
 *    orders.*   node-b (04d2e817)
 * </pre>
 *
 * <p>The cluster and pattern tables come from the node's routing registry; when a table would be
 * empty, one line says so instead.
 *
 * <p>Ids are shortened to their first eight hex digits, as in logs ({@code --json} has them
 * whole); each column is as wide as its widest cell.
 */
final class StatusTable {

    private static final String[] HEADERS = {"NAME", "ID", "ADDRESS", "STATE", "INCARNATION"};
    private static final int INCARNATION_COLUMN = 4;

    private StatusTable() {}

    static String render(StatusDocument document) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (MemberEntry member : document.members()) {
            rows.add(new String[] {
                member.name(), shortId(member.id()), member.address(), member.state(),
                Long.toString(member.incarnation())
            });
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (int index = 0; index < rows.size(); index++) {
            boolean self = index > 0 && document.members().get(index - 1).self();
            table.append(self ? "* " : "  ");
            appendRow(table, rows.get(index), widths);
        }
        table.append('\n').append(summary(document)).append('\n');
        table.append('\n');
        appendRouting(table, "CLUSTER", "MEMBERS", document.clusters().stream()
                .map(cluster -> new String[] {cluster.name(), nodes(cluster.members())}).toList(),
                "No cluster is served.");
        table.append('\n');
        appendRouting(table, "PATTERN", "SUBSCRIBERS", document.topics().stream()
                .map(topic -> new String[] {topic.pattern(), nodes(topic.subscribers())}).toList(),
                "No topic is subscribed to.");
        return table.toString();
    }

    private static void appendRouting(StringBuilder table, String key, String value, List<String[]> entries,
            String whenEmpty) {
        if (entries.isEmpty()) {
            table.append("  ").append(whenEmpty).append('\n');
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {key, value});
        rows.addAll(entries);
        int[] widths = new int[2];
        for (String[] row : rows) {
            widths[0] = Math.max(widths[0], row[0].length());
        }
        for (String[] row : rows) {
            table.append("  ");
            appendRow(table, row, widths);
        }
    }

    private static String nodes(List<NodeRef> nodes) {
        return nodes.stream().map(node -> node.name() + " (" + shortId(node.id()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static void appendRow(StringBuilder table, String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < row.length; column++) {
            if (column > 0) {
                line.append("  ");
            }
            String cell = row[column];
            String padding = " ".repeat(Math.max(0, widths[column] - cell.length()));
            line.append(column == INCARNATION_COLUMN ? padding + cell : cell + padding);
        }
        table.append(line.toString().stripTrailing()).append('\n');
    }

    private static String shortId(String hexId) {
        try {
            return NodeId.parse(hexId).toString();
        } catch (IllegalArgumentException e) {
            return hexId; // show what the node sent rather than fail the whole table
        }
    }

    private static String summary(StatusDocument document) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (String state : List.of("ALIVE", "SUSPECT", "DEAD", "LEFT")) {
            byState.put(state, 0);
        }
        document.members().forEach(member -> byState.merge(member.state(), 1, Integer::sum));
        List<String> counts = new ArrayList<>();
        byState.forEach((state, count) -> {
            if (count > 0) {
                counts.add(count + " " + state.toLowerCase(Locale.ROOT));
            }
        });
        int total = document.members().size();
        return total + (total == 1 ? " member: " : " members: ") + String.join(", ", counts)
                + ". (* is the node that answered)";
    }
}
