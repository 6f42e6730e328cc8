package io.iridium.bench.worker;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker's command line: {@code SYSTEM ROLE key=value...}, parsed once. Unknown or missing keys
 * are errors that name the key, since only the harness writes these command lines.
 */
record WorkerArgs(String system, String role, Map<String, String> options) {

    static WorkerArgs parse(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: Worker SYSTEM ROLE [key=value...], got " + Arrays.toString(args));
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("worker option is not key=value: " + args[i]);
            }
            options.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        return new WorkerArgs(args[0], args[1], Map.copyOf(options));
    }

    String text(String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("worker option missing: " + key);
        }
        return value;
    }

    long number(String key) {
        return Long.parseLong(text(key));
    }

    /** {@link #number(String)}, or {@code fallback} when the key is absent. */
    long number(String key, long fallback) {
        return options.containsKey(key) ? number(key) : fallback;
    }

    /** A comma-separated list; empty when the key is absent or blank. */
    List<String> list(String key) {
        String value = options.getOrDefault(key, "");
        return value.isBlank() ? List.of() : List.of(value.split(","));
    }
}
