package io.iridium.data.replication;

import io.iridium.Endpoint;
import io.iridium.data.ReplicaId;
import io.iridium.testkit.sim.NodeContext;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A replica set in the simulator: every node runs one real {@link ReplicaCore} on channel
 * {@link #CHANNEL}, wired as {@link Replicas} wires it at runtime — a broadcast goes to every
 * other replica, a message to one replica goes to the address of that identity's node, and a
 * reply returned by {@link ReplicaCore#receive} goes back to the sender's address.
 *
 * <p>Membership is an oracle here (SWIM has its own simulations): every core's live view is the
 * current identities of all nodes, up or down — except across a partition made with
 * {@link #partition}, which drops the other side from each side's view, as a failure detector
 * would. The cores count MAJORITY and ALL against the replicas they have <em>known</em>, so
 * shrinking a view does not shrink the majority. A restart without durable storage loses the
 * old identity's data for good, so the harness acts as the operator and removes that identity
 * from every core ({@link ReplicaCore#forgetReplica}); with durable storage the new incarnation
 * declares its predecessor departed itself. Each node name then keeps a simulated disk (saved
 * states and the known replica set) that survives its crashes — saves are synchronous, so what
 * was saved before a crash is there after it. Every message is handed to the core with the
 * identity of the node that sent it.
 */
final class ReplicaSimCluster {

    static final int CHANNEL = 7;

    private final Simulation sim;
    private final ReplicaConfig config;
    private final boolean durable;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<ReplicaId, SimNode> byReplica = new HashMap<>();
    private final Map<String, Map<String, KeyState>> disks = new HashMap<>();
    private final Map<String, KnownReplicas> knownReplicasDisks = new HashMap<>();
    private final List<List<SimNode>> sides = new ArrayList<>();
    private int created;

    ReplicaSimCluster(Simulation sim, ReplicaConfig config, boolean durable) {
        this.sim = sim;
        this.config = config;
        this.durable = durable;
        sim.setTickMillis(config.tick().toMillis());
    }

    Simulation simulation() {
        return sim;
    }

    /** Adds {@code count} nodes, each with a clock skew drawn from {@code skews} (cycled). */
    List<SimNode> addNodes(int count, long... skews) {
        for (int i = 0; i < count; i++) {
            int index = created++; // never reused: a node that left keeps its name and address
            long skew = skews.length == 0 ? 0 : skews[index % skews.length];
            Endpoint address = new Endpoint("10.0." + (index / 250) + "." + (index % 250 + 1), 7000);
            nodes.add(sim.addNode("n" + index, address, skew, this::install));
        }
        refreshPeers();
        return List.copyOf(nodes);
    }

    List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    List<SimNode> running() {
        return nodes.stream().filter(SimNode::isUp).toList();
    }

    ReplicaCore core(SimNode node) {
        return node.component(ReplicaCore.class);
    }

    /**
     * Leaves {@code node} gracefully: starts its hand-off ({@link ReplicaCore#leave}), runs the
     * simulation until it completes (at most {@code timeoutMillis} plus a tick), then stops the
     * node and takes it out of every view. Returns whether an heir confirmed the hand-off.
     */
    boolean leave(SimNode node, long timeoutMillis) {
        var left = core(node).leave(timeoutMillis);
        sim.runUntil(left::isDone, timeoutMillis + 2 * config.tick().toMillis(), config.tick().toMillis());
        boolean confirmed = left.getNow(false);
        sim.stop(node);
        nodes.remove(node);
        refreshPeers();
        return confirmed;
    }

    void crash(SimNode node) {
        sim.crash(node);
    }

    /**
     * Restarts a crashed node, or one stopped after {@link #leave} (it rejoins the set, with its
     * disk when durable). Without durable storage its old identity is removed from every core,
     * as an operator would remove a replica whose data is gone.
     */
    void restart(SimNode node) {
        ReplicaId former = node.id() == null ? null : ReplicaId.of(node.id());
        sim.restart(node);
        if (!nodes.contains(node)) {
            nodes.add(node);
        }
        if (!durable && former != null) {
            for (SimNode running : running()) {
                if (running != node) {
                    core(running).forgetReplica(former);
                }
            }
        }
        refreshPeers();
    }

    /**
     * Partitions the network between {@code side} and {@code otherSide} and drops each side from
     * the other's view, as membership would once it suspects them.
     */
    void partition(List<SimNode> side, List<SimNode> otherSide) {
        sim.partition(side, otherSide);
        sides.clear();
        sides.add(List.copyOf(side));
        sides.add(List.copyOf(otherSide));
        refreshPeers();
    }

    /** Heals every partition and restores the full view. */
    void heal() {
        sim.heal();
        sides.clear();
        refreshPeers();
    }

    /** Whether every running replica holds the same state for every key. */
    boolean converged() {
        Map<String, KeyState> first = null;
        for (SimNode node : running()) {
            Map<String, KeyState> snapshot = core(node).snapshot();
            if (first == null) {
                first = snapshot;
            } else if (!first.equals(snapshot)) {
                return false;
            }
        }
        return true;
    }

    /** The digests of the running replicas, for failure messages. */
    String describe() {
        Map<String, Object> digests = new LinkedHashMap<>();
        for (SimNode node : running()) {
            digests.put(node.name(), core(node).digest());
        }
        return digests.toString();
    }

    private void install(NodeContext context) {
        ReplicaId self = ReplicaId.of(context.id());
        var outbox = context.outbox(CHANNEL, ReplicaMessageCodec::encode, message -> message.getClass().getSimpleName());
        ReplicaTransport transport = new ReplicaTransport() {
            @Override
            public void broadcast(ReplicaMessage.Deltas deltas) {
                for (SimNode node : nodes) {
                    if (node != context.node()) {
                        outbox.send(node.address(), deltas);
                    }
                }
            }

            @Override
            public void send(ReplicaId to, ReplicaMessage message) {
                SimNode node = byReplica.get(to);
                if (node != null) {
                    outbox.send(node.address(), message);
                }
            }
        };
        ReplicaCore.Builder builder = ReplicaCore.builder(self, context.environment(), transport).config(config);
        if (durable) {
            String name = context.name();
            Map<String, KeyState> disk = disks.computeIfAbsent(name, n -> new TreeMap<>());
            builder.storage(new ReplicaStorage() {
                @Override
                public Collection<KeyState> load() {
                    return List.copyOf(disk.values());
                }

                @Override
                public void save(KeyState state) {
                    disk.put(state.key(), state);
                }

                @Override
                public Optional<KnownReplicas> loadKnownReplicas() {
                    return Optional.ofNullable(knownReplicasDisks.get(name));
                }

                @Override
                public void saveKnownReplicas(KnownReplicas replicas) {
                    knownReplicasDisks.put(name, replicas);
                }
            });
        }
        ReplicaCore core = builder.build();
        byReplica.put(self, context.node());
        context.register(CHANNEL, (from, bytes) -> {
            Optional<ReplicaMessage> reply = core.receive(senderAt(from), ReplicaMessageCodec.decode(bytes));
            reply.ifPresent(message -> outbox.send(from, message));
        });
        context.onTick(core::tick);
        context.expose(ReplicaCore.class, core);
        core.setPeers(viewOf(context.node()));
    }

    /** The current identity of the node at {@code address} (the sender of a datagram). */
    private ReplicaId senderAt(Endpoint address) {
        for (SimNode node : sim.nodes()) {
            if (node.address().equals(address) && node.id() != null) {
                return ReplicaId.of(node.id());
            }
        }
        return null;
    }

    /** The identities {@code node} sees: every node's, or only its own side's while partitioned. */
    private List<ReplicaId> viewOf(SimNode node) {
        List<SimNode> visible = nodes;
        for (List<SimNode> side : sides) {
            if (side.contains(node)) {
                visible = side.stream().filter(nodes::contains).toList();
            }
        }
        return visible.stream().filter(n -> n.id() != null).map(n -> ReplicaId.of(n.id()))
                .collect(Collectors.toList());
    }

    private void refreshPeers() {
        for (SimNode node : running()) {
            core(node).setPeers(viewOf(node));
        }
    }
}
