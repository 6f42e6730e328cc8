package io.iridium.routing;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.Objects;

/**
 * One live member of a cluster, as a {@link Routes} snapshot lists it.
 *
 * @param node     the member's identity
 * @param address  where it accepts data-plane connections (from its advertisement)
 * @param capacity the capacity it advertised for this cluster
 */
public record Route(NodeId node, Endpoint address, int capacity) {

    public Route {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(address, "address");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
    }
}
