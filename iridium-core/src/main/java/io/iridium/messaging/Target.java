package io.iridium.messaging;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A node that messages can be routed to: its identity and where it listens.
 *
 * @param id      the node
 * @param address its data-plane address
 */
public record Target(NodeId id, Endpoint address) {

    /** {@code targets} without those whose node is in {@code excluded} (the same list if none is). */
    public static List<Target> excluding(List<Target> targets, Set<NodeId> excluded) {
        if (excluded.isEmpty()) {
            return targets;
        }
        List<Target> result = new ArrayList<>(targets.size());
        for (Target target : targets) {
            if (!excluded.contains(target.id())) {
                result.add(target);
            }
        }
        return result;
    }
}
