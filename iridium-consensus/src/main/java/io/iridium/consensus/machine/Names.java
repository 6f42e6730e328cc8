package io.iridium.consensus.machine;

import java.nio.charset.StandardCharsets;

/** Validation of the names of keys, locks and counters, shared by commands and queries. */
final class Names {

    private Names() {
    }

    static void check(String name, String what) {
        if (name == null) {
            throw new IllegalArgumentException("a " + what + " is required");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > Command.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a " + what + " has at most " + Command.MAX_NAME_BYTES + " bytes");
        }
    }
}
