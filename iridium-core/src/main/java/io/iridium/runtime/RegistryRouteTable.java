package io.iridium.runtime;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.messaging.RouteTable;
import io.iridium.messaging.Target;
import io.iridium.routing.Route;
import io.iridium.routing.Routes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adapts one immutable {@link Routes} snapshot of the registry to the messaging layer's
 * {@link RouteTable}. The cluster lists are converted once per cluster and memoised, so the
 * request path costs a map lookup; subscriber lists are computed per publish from the topic trie.
 */
final class RegistryRouteTable implements RouteTable {
    private final Routes routes;
    private final Map<String, List<Target>> servers = new ConcurrentHashMap<>();

    RegistryRouteTable(Routes routes) {
        this.routes = routes;
    }

    Routes routes() {
        return routes;
    }

    @Override
    public List<Target> servers(String cluster) {
        List<Target> cached = servers.get(cluster);
        if (cached != null) {
            return cached;
        }
        List<Target> converted = convert(cluster);
        if (!converted.isEmpty()) { // unknown names are not remembered: they could be endless
            servers.put(cluster, converted);
        }
        return converted;
    }

    private List<Target> convert(String cluster) {
        List<Route> members = routes.membersOf(cluster);
        List<Target> targets = new ArrayList<>(members.size());
        for (Route route : members) {
            targets.add(new Target(route.node(), route.address()));
        }
        return List.copyOf(targets);
    }

    @Override
    public List<Target> subscribers(String subject) {
        Set<NodeId> nodes = routes.subscribersOf(subject);
        if (nodes.isEmpty()) {
            return List.of();
        }
        List<Target> targets = new ArrayList<>(nodes.size());
        for (NodeId node : nodes) {
            Optional<Endpoint> address = routes.addressOf(node);
            address.ifPresent(endpoint -> targets.add(new Target(node, endpoint)));
        }
        return targets;
    }
}
