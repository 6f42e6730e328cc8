package io.iridium.messaging;

import java.util.List;

/**
 * What the messaging layer needs of the routing registry: who serves a cluster, who subscribes to
 * a subject. Implementations are immutable snapshots, safe to read from any thread; the runtime
 * swaps in a new one whenever the registry changes.
 */
public interface RouteTable {

    /** Live members serving {@code cluster}, this node included if it serves it. */
    List<Target> servers(String cluster);

    /** Live nodes with at least one subscription matching {@code subject}, this node included. */
    List<Target> subscribers(String subject);

    /** A table that routes nowhere. */
    RouteTable EMPTY = new RouteTable() {
        @Override
        public List<Target> servers(String cluster) {
            return List.of();
        }

        @Override
        public List<Target> subscribers(String subject) {
            return List.of();
        }
    };
}
