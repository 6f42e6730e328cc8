package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A deterministic in-memory harness for scenario tests, in the spirit of etcd-io/raft's
 * interaction tests: nodes {@code 1..n}, a FIFO network with filters, a {@link MemoryDisk} per
 * node, and {@link #stabilize()} that delivers and handles Readys until nothing moves. Each node's
 * applied entries are recorded so tests can compare state machines.
 */
final class RaftNetwork {

    final Map<NodeId, RaftNode> nodes = new LinkedHashMap<>();
    final Map<NodeId, MemoryDisk> disks = new LinkedHashMap<>();
    final Map<NodeId, List<Entry>> applied = new LinkedHashMap<>();
    final Map<NodeId, List<ReadState>> reads = new LinkedHashMap<>();
    final Map<NodeId, Snapshot> installed = new LinkedHashMap<>();
    private final Map<NodeId, RaftConfig> configs = new LinkedHashMap<>();
    private final ArrayDeque<RaftMessage> wire = new ArrayDeque<>();
    private final Set<NodeId> down = new HashSet<>();
    private final List<Predicate<RaftMessage>> dropRules = new ArrayList<>();
    private java.util.function.UnaryOperator<RaftMessage> rewrite = m -> m;
    final List<RaftMessage> delivered = new ArrayList<>();
    private final long seed;
    private Consumer<RaftConfig.Builder> tuning = b -> { };

    RaftNetwork(long seed) {
        this.seed = seed;
    }

    static NodeId id(int n) {
        return new NodeId((long) n << 32, n);
    }

    RaftNetwork tune(Consumer<RaftConfig.Builder> tuning) {
        this.tuning = tuning;
        return this;
    }

    /** Bootstraps nodes {@code 1..n} as the founding voters. */
    RaftNetwork start(int n) {
        Set<NodeId> voters = new HashSet<>();
        for (int i = 1; i <= n; i++) {
            voters.add(id(i));
        }
        for (int i = 1; i <= n; i++) {
            add(id(i), Membership.ofVoters(voters));
        }
        return this;
    }

    /** Adds a node: a founding member when {@code members} is given, else one that waits to join. */
    RaftNode add(NodeId nodeId, Membership members) {
        RaftConfig.Builder builder = RaftConfig.builder(nodeId);
        tuning.accept(builder);
        RaftConfig config = builder.build();
        configs.put(nodeId, config);
        RaftNode node = members == null ? RaftNode.join(config, new SplittableRandom(seed * 31 + nodeId.low()))
                : RaftNode.bootstrap(config, new SplittableRandom(seed * 31 + nodeId.low()), members);
        nodes.put(nodeId, node);
        disks.put(nodeId, new MemoryDisk());
        applied.put(nodeId, new ArrayList<>());
        reads.put(nodeId, new ArrayList<>());
        handleReadies(nodeId);
        return node;
    }

    RaftNode node(int n) {
        return nodes.get(id(n));
    }

    /** Drops every message matching {@code rule} until {@link #heal()}. */
    void drop(Predicate<RaftMessage> rule) {
        dropRules.add(rule);
    }

    /** Cuts {@code n} off from everyone. */
    void isolate(int n) {
        NodeId x = id(n);
        drop(m -> m.from().equals(x) || m.to().equals(x));
    }

    /** Cuts the network into {@code side} and the rest. */
    void partition(Set<Integer> side) {
        Set<NodeId> ids = new HashSet<>();
        side.forEach(n -> ids.add(id(n)));
        drop(m -> ids.contains(m.from()) != ids.contains(m.to()));
    }

    void heal() {
        dropRules.clear();
        rewrite = m -> m;
    }

    /** Rewrites messages in flight (to model a sender that crashed half way through a batch). */
    void rewrite(java.util.function.UnaryOperator<RaftMessage> rule) {
        rewrite = rule;
    }

    /** Crashes {@code n}: unsynced writes and undelivered messages to it are lost. */
    void crash(int n) {
        NodeId x = id(n);
        down.add(x);
        disks.get(x).crash();
        wire.removeIf(m -> m.to().equals(x));
    }

    /** Restarts {@code n} from its disk. */
    void restart(int n) {
        NodeId x = id(n);
        down.remove(x);
        MemoryDisk disk = disks.get(x);
        PersistentState state = disk.load();
        RaftNode node = RaftNode.restart(configs.get(x), new SplittableRandom(seed * 17 + x.low() + nodes.size()), state);
        nodes.put(x, node);
        List<Entry> replay = new ArrayList<>();
        for (Entry e : applied.get(x)) {
            if (e.index() <= state.snapshot().metadata().index()) {
                replay.add(e);
            }
        }
        applied.put(x, replay);
        handleReadies(x);
    }

    void tick(int n, int times) {
        for (int i = 0; i < times; i++) {
            nodes.get(id(n)).tick();
            handleReadies(id(n));
        }
    }

    /** Ticks every live node {@code times} times, stabilizing after each round. */
    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            for (NodeId x : nodes.keySet()) {
                if (!down.contains(x)) {
                    nodes.get(x).tick();
                    handleReadies(x);
                }
            }
            stabilize();
        }
    }

    /** Campaigns on {@code n} and delivers everything. */
    void elect(int n) {
        nodes.get(id(n)).campaign();
        handleReadies(id(n));
        stabilize();
    }

    ProposeResult propose(int n, String data) {
        ProposeResult result = nodes.get(id(n)).propose(data.getBytes());
        handleReadies(id(n));
        return result;
    }

    /** Delivers messages and handles Readys until the network is quiet. */
    void stabilize() {
        for (int guard = 0; guard < 1_000_000; guard++) {
            RaftMessage m = wire.pollFirst();
            if (m == null) {
                return;
            }
            deliver(m);
        }
        throw new AssertionError("network did not stabilize");
    }

    /** Delivers only the messages queued now, one round. */
    void deliverRound() {
        List<RaftMessage> round = new ArrayList<>(wire);
        wire.clear();
        round.forEach(this::deliver);
    }

    List<RaftMessage> pending() {
        return List.copyOf(wire);
    }

    private void deliver(RaftMessage m) {
        if (down.contains(m.to()) || !nodes.containsKey(m.to())) {
            return;
        }
        for (Predicate<RaftMessage> rule : dropRules) {
            if (rule.test(m)) {
                return;
            }
        }
        m = rewrite.apply(m);
        delivered.add(m);
        nodes.get(m.to()).step(m);
        handleReadies(m.to());
    }

    void handleReadies(NodeId x) {
        RaftNode node = nodes.get(x);
        while (node.hasReady()) {
            Ready rd = node.ready();
            MemoryDisk disk = disks.get(x);
            wire.addAll(rd.eagerMessages());
            disk.write(rd);
            disk.sync();
            wire.addAll(rd.messages());
            rd.snapshot().ifPresent(s -> {
                installed.put(x, s);
                applied.get(x).removeIf(e -> true);
            });
            applied.get(x).addAll(rd.committedEntries());
            reads.get(x).addAll(rd.readStates());
            node.advance(rd);
        }
    }

    /** Compacts {@code n}'s log at its applied index with the given state machine image. */
    void compact(int n, byte[] data) {
        RaftNode node = nodes.get(id(n));
        long index = node.status().applied();
        node.compact(index, data);
        long term = disks.get(id(n)).load().entries().stream().filter(e -> e.index() == index).findFirst()
                .map(Entry::term).orElseThrow();
        disks.get(id(n)).saveSnapshot(new Snapshot(new Snapshot.Metadata(index, term, node.status().membership()), data));
    }

    NodeId leader() {
        NodeId found = null;
        for (RaftNode node : nodes.values()) {
            if (!down.contains(node.id()) && node.status().role() == Role.LEADER) {
                if (found == null || nodes.get(found).status().term() < node.status().term()) {
                    found = node.id();
                }
            }
        }
        return found;
    }

    /** The data of the normal entries {@code n} has applied, as strings. */
    List<String> appliedData(int n) {
        List<String> out = new ArrayList<>();
        for (Entry e : applied.get(id(n))) {
            if (e.payload() instanceof Payload.Data d) {
                out.add(new String(d.bytes()));
            }
        }
        return out;
    }
}
