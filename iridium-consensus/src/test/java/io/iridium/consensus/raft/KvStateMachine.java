package io.iridium.consensus.raft;

import io.iridium.testkit.linearizability.KvModel;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's replicated state machine: a string map with put, compare-and-set and get.
 * Commands are {@code op|key|arg1|arg2} in UTF-8; snapshots are the map as lines.
 */
final class KvStateMachine {

    private final TreeMap<String, String> map = new TreeMap<>();

    static byte[] encode(KvModel.Op op, long opId) {
        String text = switch (op) {
            case KvModel.Put p -> "put|" + opId + "|" + p.key() + "|" + p.value() + "|";
            case KvModel.Cas c -> "cas|" + opId + "|" + c.key() + "|" + (c.expected() == null ? "\u0000" : c.expected()) + "|" + c.value();
            case KvModel.Get g -> "get|" + opId + "|" + g.key() + "||";
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    KvModel.Result apply(byte[] command) {
        String[] f = new String(command, StandardCharsets.UTF_8).split("\\|", -1);
        String key = f[2];
        return switch (f[0]) {
            case "put" -> {
                map.put(key, f[3]);
                yield new KvModel.Written();
            }
            case "cas" -> {
                String expected = f[3].equals("\u0000") ? null : f[3];
                boolean match = java.util.Objects.equals(expected, map.get(key));
                if (match) {
                    map.put(key, f[4]);
                }
                yield new KvModel.Swapped(match);
            }
            case "get" -> new KvModel.Value(map.get(key));
            default -> throw new IllegalArgumentException("bad command " + f[0]);
        };
    }

    String get(String key) {
        return map.get(key);
    }

    byte[] snapshot() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    void restore(byte[] data) {
        map.clear();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }
}
