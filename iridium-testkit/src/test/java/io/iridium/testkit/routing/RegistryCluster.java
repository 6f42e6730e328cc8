package io.iridium.testkit.routing;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.membership.Swim;
import io.iridium.membership.SwimCodec;
import io.iridium.membership.SwimConfig;
import io.iridium.routing.Registry;
import io.iridium.routing.RegistryCodec;
import io.iridium.routing.RegistryConfig;
import io.iridium.routing.RegistryMessage;
import io.iridium.routing.Route;
import io.iridium.routing.Routes;
import io.iridium.testkit.sim.NodeContext;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Simulated nodes that each run the real membership core ({@link Swim}, channel
 * {@link #SWIM_CHANNEL}) and a routing {@link Registry} (channel {@link #REGISTRY_CHANNEL}), wired
 * as the runtime wires them: SWIM's Joined and Alive events report a member up to the registry,
 * Failed and Left report it down, Suspected changes nothing.
 *
 * <p>The harness remembers what each node identity last published (the ground truth), so
 * {@link #divergence()} can compare every running node's {@link Routes} with what they should
 * be: exactly the running identities, each with what it published. Node {@code i} is named
 * {@code n<i>} at {@code 10.0.x.y:7946}; every node joins through the first running node.
 */
final class RegistryCluster {

    static final int SWIM_CHANNEL = 1;
    static final int REGISTRY_CHANNEL = 2;
    private static final int PORT = 7946;

    /** What one identity published. */
    record Published(SortedMap<String, Integer> services, SortedSet<String> patterns) {
        static final Published NOTHING = new Published(new TreeMap<>(), new TreeSet<>());
    }

    private final Simulation sim;
    private final SwimConfig swimConfig;
    private final RegistryConfig registryConfig;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<NodeId, Published> published = new HashMap<>();
    private final Map<SimNode, NodeContext> contexts = new HashMap<>();

    RegistryCluster(Simulation sim, SwimConfig swimConfig, RegistryConfig registryConfig) {
        this.sim = sim;
        this.swimConfig = swimConfig;
        this.registryConfig = registryConfig;
        sim.setTickMillis(swimConfig.tickMillis());
    }

    Simulation simulation() {
        return sim;
    }

    List<SimNode> addNodes(int count, long spacingMillis) {
        List<SimNode> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = nodes.size();
            Endpoint address = new Endpoint("10.0." + (index / 250) + "." + (index % 250 + 1), PORT);
            SimNode node = sim.addNode("n" + index, address, 0, this::install);
            nodes.add(node);
            added.add(node);
            sim.runFor(spacingMillis);
        }
        return added;
    }

    private void install(NodeContext context) {
        contexts.put(context.node(), context);
        Registry registry = new Registry(registryConfig, context.id(), context.address(), context.environment(),
                context.outbox(REGISTRY_CHANNEL, RegistryCodec::encode, RegistryCluster::kind));
        Member self = new Member(context.id(), context.name(), context.address(), 0, MemberState.ALIVE);
        Swim swim = new Swim(swimConfig, self, context.environment(),
                context.outbox(SWIM_CHANNEL, SwimCodec::encode, m -> "swim"),
                event -> onMembership(registry, event));
        context.register(SWIM_CHANNEL, (from, payload) -> swim.receive(from, SwimCodec.decode(payload)));
        context.register(REGISTRY_CHANNEL, (from, payload) -> registry.receive(from, RegistryCodec.decode(payload)));
        context.onTick(swim::tick);
        context.onTick(registry::tick);
        context.expose(Swim.class, swim);
        context.expose(Registry.class, registry);
        for (SimNode candidate : nodes) {
            if (candidate != context.node() && candidate.isUp()) {
                swim.join(candidate.address());
                break;
            }
        }
    }

    private static void onMembership(Registry registry, MembershipEvent event) {
        Member member = event.member();
        switch (event) {
            case MembershipEvent.Joined joined -> registry.memberUp(member.id(), member.address());
            case MembershipEvent.Alive alive -> registry.memberUp(member.id(), member.address());
            case MembershipEvent.Suspected suspected -> { }
            case MembershipEvent.Failed failed -> registry.memberDown(member.id());
            case MembershipEvent.Left left -> registry.memberDown(member.id());
        }
    }

    private static String kind(RegistryMessage message) {
        return switch (message) {
            case RegistryMessage.Digest d -> "digest";
            case RegistryMessage.Update u -> u.rumor() ? "rumor" : "update";
            case RegistryMessage.Pull p -> "pull";
        };
    }

    // ------------------------------------------------------------------------------------------

    /** {@code node} now serves {@code services} and subscribes to {@code patterns}. */
    void publish(SimNode node, Map<String, Integer> services, Set<String> patterns) {
        registry(node).publishLocal(services, patterns);
        published.put(node.id(), new Published(new TreeMap<>(services), new TreeSet<>(patterns)));
        NodeContext context = contexts.get(node);
        if (context.isTracing()) {
            context.trace("publish " + services + " " + patterns);
        }
    }

    void crash(SimNode node) {
        sim.crash(node);
    }

    void restart(SimNode node) {
        sim.restart(node);
    }

    List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    List<SimNode> runningNodes() {
        return nodes.stream().filter(SimNode::isUp).toList();
    }

    Registry registry(SimNode node) {
        return node.component(Registry.class);
    }

    Swim swim(SimNode node) {
        return node.component(Swim.class);
    }

    /** Membership's disagreement with the running set first, else the routes' ({@link #divergence()}). */
    String describe() {
        if (!membershipConverged()) {
            for (SimNode node : runningNodes()) {
                long live = swim(node).members().stream().filter(m -> m.state().isLive()).count();
                if (live != runningNodes().size()) {
                    return "membership not converged: " + node + " sees " + live + " live of " + runningNodes().size();
                }
            }
            return "membership not converged";
        }
        return divergence();
    }

    /** Whether every running node sees every running node alive, and nothing else as live. */
    boolean membershipConverged() {
        Set<NodeId> running = new TreeSet<>();
        runningNodes().forEach(n -> running.add(n.id()));
        for (SimNode node : runningNodes()) {
            Set<NodeId> live = new TreeSet<>();
            for (Member member : swim(node).members()) {
                if (member.state().isLive()) {
                    live.add(member.id());
                }
            }
            if (!live.equals(running)) {
                return false;
            }
        }
        return true;
    }

    /** The routes every running node should have: every running identity with what it published. */
    Expected expected() {
        TreeMap<String, List<Route>> clusters = new TreeMap<>();
        TreeMap<String, SortedSet<NodeId>> subscriptions = new TreeMap<>();
        List<SimNode> running = new ArrayList<>(runningNodes());
        running.sort((a, b) -> a.id().compareTo(b.id()));
        for (SimNode node : running) {
            Published p = published.getOrDefault(node.id(), Published.NOTHING);
            p.services().forEach((cluster, capacity) ->
                    clusters.computeIfAbsent(cluster, k -> new ArrayList<>()).add(new Route(node.id(), node.address(), capacity)));
            p.patterns().forEach(pattern -> subscriptions.computeIfAbsent(pattern, k -> new TreeSet<>()).add(node.id()));
        }
        return new Expected(clusters, subscriptions);
    }

    record Expected(Map<String, List<Route>> clusters, Map<String, SortedSet<NodeId>> subscriptions) {}

    /** Whether every running node's routes are exactly the {@link #expected()} ones. */
    boolean converged() {
        return divergence().isEmpty();
    }

    /** Empty when {@link #converged()}; otherwise the first node that differs, in words. */
    String divergence() {
        Expected expected = expected();
        Set<NodeId> running = new TreeSet<>();
        runningNodes().forEach(n -> running.add(n.id()));
        for (SimNode node : runningNodes()) {
            Routes routes = registry(node).routes();
            if (!routes.advertisements().keySet().equals(running)) {
                Set<NodeId> missing = new TreeSet<>(running);
                missing.removeAll(routes.advertisements().keySet());
                Set<NodeId> extra = new TreeSet<>(routes.advertisements().keySet());
                extra.removeAll(running);
                StringBuilder why = new StringBuilder();
                for (NodeId id : missing) {
                    why.append(" [").append(id).append(": held ").append(registry(node).advertisementOf(id).isPresent())
                            .append(", live ").append(registry(node).liveMembers().contains(id))
                            .append(", swim ").append(swim(node).members().stream().filter(m -> m.id().equals(id))
                                    .map(m -> m.state() + "@" + m.incarnation()).toList())
                            .append(']');
                }
                return node + " routes to " + routes.advertisements().size() + " nodes; missing " + missing + why
                        + ", extra " + extra;
            }
            if (!routes.clusters().equals(expected.clusters())) {
                return node + " routes clusters " + routes.clusters() + " but expected " + expected.clusters();
            }
            if (!routes.subscriptions().equals(expected.subscriptions())) {
                return node + " routes patterns " + routes.subscriptions() + " but expected " + expected.subscriptions();
            }
            if (!routes.advertisements().keySet().equals(running)) {
                return node + " routes to nodes " + routes.advertisements().keySet() + " but the running ones are "
                        + running;
            }
        }
        return "";
    }

    /** Whether every running node's registry reports itself synced. */
    boolean allSynced() {
        return runningNodes().stream().allMatch(n -> registry(n).isSynced());
    }
}
