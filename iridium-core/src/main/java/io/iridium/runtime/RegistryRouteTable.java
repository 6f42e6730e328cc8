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
 * {@link RouteTable}. Cluster lists and subscriber lists are computed once per name and memoised
 * for the life of the snapshot, so the request and publish paths cost a map lookup. Only names
 * that route somewhere are remembered, and at most {@link #MAX_MEMOISED_SUBJECTS} subjects, so a
 * publisher cycling through endless distinct subjects costs a trie match each, never memory.
 */
final class RegistryRouteTable implements RouteTable {
    private final Routes routes;
    /** The most subjects whose subscriber lists one snapshot remembers. */
    static final int MAX_MEMOISED_SUBJECTS = 4096;

    private final Map<String, List<Target>> servers = new ConcurrentHashMap<>();
    private final Map<String, List<Target>> subscribers = new ConcurrentHashMap<>();

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
        List<Target> cached = subscribers.get(subject);
        if (cached != null) {
            return cached;
        }
        List<Target> computed = computeSubscribers(subject);
        if (!computed.isEmpty() && subscribers.size() < MAX_MEMOISED_SUBJECTS) {
            subscribers.put(subject, computed);
        }
        return computed;
    }

    private List<Target> computeSubscribers(String subject) {
        Set<NodeId> nodes = routes.subscribersOf(subject);
        if (nodes.isEmpty()) {
            return List.of();
        }
        List<Target> targets = new ArrayList<>(nodes.size());
        for (NodeId node : nodes) {
            Optional<Endpoint> address = routes.addressOf(node);
            address.ifPresent(endpoint -> targets.add(new Target(node, endpoint)));
        }
        return List.copyOf(targets);
    }
}
