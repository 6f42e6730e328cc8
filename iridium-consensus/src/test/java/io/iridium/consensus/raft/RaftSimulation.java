package io.iridium.consensus.raft;

import io.iridium.NodeId;
import io.iridium.testkit.linearizability.History;
import io.iridium.testkit.linearizability.KvModel;
import io.iridium.testkit.linearizability.LinearizabilityChecker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of a five-node Raft group serving a KV store to concurrent clients,
 * under seeded faults; one seed reproduces one run exactly.
 *
 * <p>Time advances in rounds. In each round nodes tick (each at its own rate: clock skew, and
 * not at all while paused), due messages are delivered in random order (reordering) after random
 * delays, some are dropped or duplicated, partitions come and go, nodes crash (losing whatever
 * their last Ready wrote but did not sync: the crash may strike between write and fsync) and
 * restart from their simulated disk, and clients issue put, compare-and-set and linearizable
 * (ReadIndex) get operations against random nodes. After every round the checker asserts:
 *
 * <ul>
 *   <li>election safety: at most one leader per term, ever;</li>
 *   <li>log matching: any two logs agreeing on an entry's term agree on everything before it;</li>
 *   <li>leader completeness: every leader holds every entry committed before its term;</li>
 *   <li>state machine safety, and committed entries never change: every node applies the same
 *       entry at each index, and each node's committed prefix matches it.</li>
 * </ul>
 *
 * <p>At the end the faults stop, the group heals, a final linearizable read of every key is
 * taken, and the whole client history is checked for linearizability, so an acknowledged write
 * that was lost shows up as a violation.
 */
final class RaftSimulation {

    static final int NODES = 5;
    private static final String[] KEYS = {"a", "b", "c"};
    private static final int CLIENTS = 6;
    private static final int TIMEOUT_ROUNDS = 40;

    private final long seed;
    private final SplittableRandom random;
    private final List<NodeId> ids = new ArrayList<>();
    private final Map<NodeId, RaftConfig> configs = new HashMap<>();
    private final Map<NodeId, SimNode> nodes = new LinkedHashMap<>();
    private final List<InFlight> network = new ArrayList<>();
    private final Set<Set<NodeId>> cut = new HashSet<>();
    private final Map<Long, NodeId> leaders = new HashMap<>();
    private final Map<Long, Entry> committed = new HashMap<>();
    /** For each committed index, a term no lower than the one it was committed in. */
    private final Map<Long, Long> committedBy = new HashMap<>();
    private long maxCommittedIndex;
    private final History<KvModel.Op, KvModel.Result> history = new History<>();
    private final Map<Integer, ClientOp> clients = new HashMap<>();
    private final double dropRate;
    private final double duplicateRate;
    private final double crashRate;
    private long round;
    private long nextOpId;
    private long traceHash = 17;
    /** The last events, printed when a check fails. */
    private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
    int acknowledgedWrites;
    int membershipChanges;
    private final boolean changeMembership;
    private final boolean leaseReads;
    int messagesDelivered;

    private record InFlight(RaftMessage message, long deliverAt) {
    }

    private record ClientOp(int client, KvModel.Op op, long opId, NodeId node, long index, long term, long started) {
    }

    private final class SimNode {
        final NodeId id;
        final MemoryDisk disk = new MemoryDisk();
        final double tickRate;
        RaftNode raft;
        KvStateMachine kv = new KvStateMachine();
        boolean up = true;
        long pausedUntil = -1;
        long snapshotIndex;
        final List<ReadState> waitingReads = new ArrayList<>();

        SimNode(NodeId id, double tickRate) {
            this.id = id;
            this.tickRate = tickRate;
        }

        boolean active() {
            return up && pausedUntil < round;
        }
    }

    RaftSimulation(long seed) {
        this(seed, true, false);
    }

    /**
     * @param changeMembership whether the leader is asked, now and then, to remove, add or promote
     * @param leaseReads       whether reads use leases; then clocks run at the same rate and no
     *                         node pauses, which is the lease's documented clock assumption
     */
    RaftSimulation(long seed, boolean changeMembership, boolean leaseReads) {
        this.seed = seed;
        this.changeMembership = changeMembership;
        this.leaseReads = leaseReads;
        this.random = new SplittableRandom(seed);
        this.dropRate = random.nextDouble() * 0.1;
        this.duplicateRate = random.nextDouble() * 0.05;
        this.crashRate = random.nextDouble() * 0.01;
        for (int i = 1; i <= NODES; i++) {
            ids.add(new NodeId((long) i << 32, i));
        }
        Membership members = Membership.ofVoters(new HashSet<>(ids));
        for (NodeId id : ids) {
            RaftConfig config = RaftConfig.builder(id).electionTicks(10).heartbeatTicks(2)
                    .readMode(leaseReads ? RaftConfig.ReadMode.LEASE : RaftConfig.ReadMode.SAFE)
                    .maxInflightAppends(1 + random.nextInt(8)).maxAppendBytes(16 + random.nextInt(200))
                    .snapshotChunkBytes(8 + random.nextInt(64)).build();
            configs.put(id, config);
            SimNode node = new SimNode(id, leaseReads ? 1.0 : 0.8 + random.nextDouble() * 0.2);
            node.raft = RaftNode.bootstrap(config, random.split(), members);
            nodes.put(id, node);
        }
        nodes.values().forEach(this::handleReadies);
    }

    /** Runs the faulty phase, then the healing phase, then the checks. Throws on any violation. */
    void run(int faultyRounds) {
        for (int r = 0; r < faultyRounds; r++) {
            injectFaults();
            stepRound(true);
        }
        faultsOn = false;
        cut.clear();
        for (SimNode node : nodes.values()) {
            node.pausedUntil = -1;
            if (!node.up) {
                restart(node);
            }
        }
        for (int r = 0; r < 300 && (r < 50 || !clients.isEmpty()); r++) {
            stepRound(false);
        }
        finalReads();
        checkConvergence();
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(KvModel.INSTANCE, history);
        check(result.verdict() == LinearizabilityChecker.Verdict.LINEARIZABLE, "history of " + history.size()
                + " operations is " + result.verdict() + ": " + result.explanation());
    }

    long traceHash() {
        return traceHash;
    }

    int operations() {
        return history.size();
    }

    private void finalReads() {
        for (int k = 0; k < KEYS.length; k++) {
            int client = 100 + k;
            boolean done = false;
            for (int attempt = 0; attempt < 20 && !done; attempt++) {
                NodeId target = ids.get(random.nextInt(ids.size()));
                startRead(client, new KvModel.Get(KEYS[k]), target);
                for (int r = 0; r < 60 && clients.containsKey(client); r++) {
                    stepRound(false);
                }
                done = !clients.containsKey(client) && lastFinalReadSucceeded;
                if (clients.containsKey(client)) {
                    ClientOp op = clients.remove(client);
                    history.info(op.client());
                }
                for (int r = 0; r < 10 && !done; r++) {
                    stepRound(false);
                }
            }
            check(done, "no final read of key " + KEYS[k] + " succeeded after healing; nodes: " + describe());
        }
    }

    /**
     * After healing, every member applies up to the leader's commit index and holds the same
     * state, which contains every acknowledged write's effect (the linearizability check then
     * proves none was lost or reordered).
     */
    private void checkConvergence() {
        SimNode leader = null;
        for (int r = 0; r < 300; r++) {
            leader = currentLeader();
            if (leader != null) {
                long commit = leader.raft.status().commit();
                boolean caughtUp = true;
                for (NodeId member : leader.raft.status().membership().all()) {
                    caughtUp &= nodes.get(member).raft.status().applied() >= commit;
                }
                if (caughtUp) {
                    break;
                }
            }
            stepRound(false);
        }
        check(leader != null, "no leader after healing; nodes: " + describe());
        long commit = leader.raft.status().commit();
        String expected = new String(leader.kv.snapshot(), java.nio.charset.StandardCharsets.UTF_8);
        for (NodeId member : leader.raft.status().membership().all()) {
            SimNode node = nodes.get(member);
            check(node.raft.status().applied() >= commit, member + " did not catch up to " + commit + "; nodes: " + describe());
            if (node.raft.status().applied() == commit) {
                check(expected.equals(new String(node.kv.snapshot(), java.nio.charset.StandardCharsets.UTF_8)),
                        member + " diverged: " + new String(node.kv.snapshot(), java.nio.charset.StandardCharsets.UTF_8)
                                + " vs the leader's " + expected);
            }
        }
    }

    private boolean lastFinalReadSucceeded;
    private boolean faultsOn = true;

    private void injectFaults() {
        int dice = random.nextInt(1000);
        if (dice < 15) {
            cut.clear();
            List<NodeId> shuffled = new ArrayList<>(ids);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
            }
            int split = 1 + random.nextInt(NODES - 1);
            for (NodeId a : shuffled.subList(0, split)) {
                for (NodeId b : shuffled.subList(split, NODES)) {
                    cut.add(Set.of(a, b));
                }
            }
            trace("PARTITION " + shuffled.subList(0, split) + " | " + shuffled.subList(split, NODES));
        } else if (dice < 25) {
            SimNode leader = currentLeader();              // depose the leader: the hardest case
            if (leader != null) {
                cut.clear();
                for (NodeId other : ids) {
                    if (!other.equals(leader.id)) {
                        cut.add(Set.of(leader.id, other));
                    }
                }
                trace("ISOLATE leader " + leader.id);
            }
        } else if (dice < 40) {
            cut.clear();
            trace("HEAL");
        } else if (dice < 50 && !leaseReads) {
            SimNode node = nodes.get(ids.get(random.nextInt(NODES)));
            node.pausedUntil = round + 1 + random.nextInt(30);
            trace("PAUSE " + node.id + " until r" + node.pausedUntil);
        }
        if (changeMembership && random.nextInt(200) == 0) {
            proposeMembershipChange();
        }
        if (random.nextDouble() < crashRate * 3) {
            SimNode node = nodes.get(ids.get(random.nextInt(NODES)));
            if (node.up) {
                crash(node);
            }
        }
        for (SimNode node : nodes.values()) {
            if (!node.up && random.nextInt(40) == 0) {
                restart(node);
            }
        }
    }

    /**
     * Asks the current leader for one single-server change: remove a voter (keeping at least
     * three), add a removed node back as a learner, or promote a learner.
     */
    private SimNode currentLeader() {
        SimNode leader = null;
        for (SimNode node : nodes.values()) {
            if (node.active() && node.raft.status().role() == Role.LEADER
                    && (leader == null || node.raft.status().term() > leader.raft.status().term())) {
                leader = node;
            }
        }
        return leader;
    }

    private void proposeMembershipChange() {
        SimNode leader = currentLeader();
        if (leader == null) {
            return;
        }
        Membership m = leader.raft.status().membership();
        List<ConfChange> options = new ArrayList<>();
        if (m.voters().size() > 3) {
            m.voters().forEach(v -> options.add(new ConfChange(ConfChange.Type.REMOVE_NODE, v)));
        }
        m.learners().forEach(l -> options.add(new ConfChange(ConfChange.Type.ADD_VOTER, l)));
        for (NodeId id : ids) {
            if (!m.contains(id)) {
                options.add(new ConfChange(ConfChange.Type.ADD_LEARNER, id));
            }
        }
        if (!options.isEmpty()) {
            ConfChange change = options.get(random.nextInt(options.size()));
            ProposeResult result = leader.raft.proposeConfChange(change);
            trace("CHANGE " + change + " -> " + result);
            if (result instanceof ProposeResult.Accepted) {
                membershipChanges++;
            }
            handleReadies(leader);
        }
    }

    private void stepRound(boolean clientsActive) {
        round++;
        for (SimNode node : nodes.values()) {
            if (node.active() && random.nextDouble() < node.tickRate) {
                node.raft.tick();
                handleReadies(node);
            }
        }
        List<InFlight> due = new ArrayList<>();
        for (Iterator<InFlight> it = network.iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (f.deliverAt() <= round) {
                SimNode to = nodes.get(f.message().to());
                if (to.up && to.pausedUntil >= round) {
                    continue;                      // a paused node's inbox waits
                }
                it.remove();
                due.add(f);
            }
        }
        for (int i = due.size() - 1; i > 0; i--) {
            java.util.Collections.swap(due, i, random.nextInt(i + 1));
        }
        for (InFlight f : due) {
            deliver(f.message());
        }
        if (clientsActive) {
            for (int c = 0; c < CLIENTS; c++) {
                if (!clients.containsKey(c) && random.nextInt(4) == 0) {
                    startClientOp(c);
                }
            }
        }
        for (Iterator<ClientOp> it = clients.values().iterator(); it.hasNext(); ) {
            ClientOp op = it.next();
            if (round - op.started() > TIMEOUT_ROUNDS) {
                it.remove();
                history.info(op.client());
            }
        }
        checkInvariants();
    }

    private void deliver(RaftMessage m) {
        SimNode to = nodes.get(m.to());
        if (!to.up || cut.contains(Set.of(m.from(), m.to()))) {
            return;
        }
        messagesDelivered++;
        String line = m.toString();
        traceHash = traceHash * 31 + line.hashCode();
        trace(line);
        to.raft.step(m);
        handleReadies(to);
    }

    private void send(RaftMessage m) {
        if (faultsOn && random.nextDouble() < dropRate) {
            return;
        }
        network.add(new InFlight(m, round + random.nextInt(3)));
        if (random.nextDouble() < duplicateRate) {
            network.add(new InFlight(m, round + random.nextInt(6)));
        }
    }

    private void startClientOp(int client) {
        String key = KEYS[random.nextInt(KEYS.length)];
        NodeId target = ids.get(random.nextInt(NODES));
        KvModel.Op op = switch (random.nextInt(3)) {
            case 0 -> new KvModel.Get(key);
            case 1 -> new KvModel.Put(key, "v" + nextOpId);
            default -> new KvModel.Cas(key, random.nextInt(3) == 0 ? null : "v" + random.nextLong(Math.max(1, nextOpId)),
                    "v" + nextOpId);
        };
        if (op instanceof KvModel.Get) {
            startRead(client, op, target);
            return;
        }
        long opId = nextOpId++;
        history.invoke(client, op);
        SimNode node = nodes.get(target);
        if (!node.active()) {
            history.fail(client);                  // refused at once: never proposed
            return;
        }
        ProposeResult result = node.raft.propose(KvStateMachine.encode(op, opId));
        switch (result) {
            case ProposeResult.Accepted a -> clients.put(client, new ClientOp(client, op, opId, target, a.index(), a.term(), round));
            case ProposeResult.NotLeader n -> history.fail(client);
            case ProposeResult.Rejected r -> history.fail(client);
        }
        handleReadies(node);
    }

    private void startRead(int client, KvModel.Op op, NodeId target) {
        long opId = nextOpId++;
        history.invoke(client, op);
        SimNode node = nodes.get(target);
        if (!node.active() || !node.raft.readIndex(opId)) {
            history.fail(client);
            lastFinalReadSucceeded = false;
            return;
        }
        clients.put(client, new ClientOp(client, op, opId, target, -1, -1, round));
        handleReadies(node);
    }

    private void handleReadies(SimNode node) {
        while (node.up && node.raft.hasReady()) {
            Ready rd = node.raft.ready();
            node.disk.write(rd);
            if (faultsOn && rd.mustSync() && random.nextDouble() < crashRate) {
                crash(node);                       // between write and fsync: the write is lost
                return;
            }
            node.disk.sync();
            rd.messages().forEach(this::send);
            rd.snapshot().ifPresent(s -> {
                node.kv.restore(s.data());
                node.snapshotIndex = s.metadata().index();
                for (ClientOp op : List.copyOf(clients.values())) {
                    if (op.node().equals(node.id) && op.index() > 0 && op.index() <= s.metadata().index()) {
                        clients.remove(op.client());
                        history.info(op.client());
                    }
                }
            });
            for (Entry e : rd.committedEntries()) {
                Entry previous = committed.putIfAbsent(e.index(), e);
                if (previous == null) {
                    committedBy.put(e.index(), maxTerm());
                    maxCommittedIndex = Math.max(maxCommittedIndex, e.index());
                }
                check(previous == null || previous.equals(e), "state machine safety: " + node.id + " applies " + e
                        + " but " + previous + " was applied at that index");
                KvModel.Result result = e.payload() instanceof Payload.Data d ? node.kv.apply(d.bytes()) : null;
                for (ClientOp op : List.copyOf(clients.values())) {
                    if (op.node().equals(node.id) && op.index() == e.index()) {
                        clients.remove(op.client());
                        if (e.term() == op.term()) {
                            history.ok(op.client(), result);
                            acknowledgedWrites++;
                        } else {
                            history.fail(op.client());   // another entry won this index
                        }
                    }
                }
            }
            node.waitingReads.addAll(rd.readStates());
            node.raft.advance(rd);
            serveReads(node);
            maybeCompact(node);
        }
    }

    private void serveReads(SimNode node) {
        long applied = node.raft.status().applied();
        for (Iterator<ReadState> it = node.waitingReads.iterator(); it.hasNext(); ) {
            ReadState rs = it.next();
            if (rs.index() > applied) {
                continue;
            }
            it.remove();
            for (ClientOp op : List.copyOf(clients.values())) {
                if (op.node().equals(node.id) && op.opId() == rs.requestId()) {
                    clients.remove(op.client());
                    history.ok(op.client(), new KvModel.Value(node.kv.get(op.op().key())));
                    lastFinalReadSucceeded = true;
                }
            }
        }
    }

    private void maybeCompact(SimNode node) {
        Status st = node.raft.status();
        if (st.applied() - node.snapshotIndex >= 25) {
            byte[] image = node.kv.snapshot();
            long index = st.applied();
            long term = node.raft.entry(index).map(Entry::term).orElseThrow();
            node.disk.saveSnapshot(new Snapshot(new Snapshot.Metadata(index, term, st.membership()), image));
            node.raft.compact(index, image);
            node.snapshotIndex = index;
        }
    }

    private void crash(SimNode node) {
        trace("CRASH " + node.id);
        node.up = false;
        node.disk.crash();
        node.waitingReads.clear();
        for (ClientOp op : List.copyOf(clients.values())) {
            if (op.node().equals(node.id)) {
                clients.remove(op.client());
                history.info(op.client());
            }
        }
    }

    private void restart(SimNode node) {
        trace("RESTART " + node.id);
        PersistentState state = node.disk.load();
        node.raft = RaftNode.restart(configs.get(node.id), random.split(), state);
        node.kv = new KvStateMachine();
        node.kv.restore(state.snapshot().data());
        node.snapshotIndex = state.snapshot().metadata().index();
        node.up = true;
        node.pausedUntil = -1;
        handleReadies(node);
    }

    private String describe() {
        StringBuilder out = new StringBuilder();
        for (SimNode node : nodes.values()) {
            Status st = node.raft.status();
            out.append("\n  ").append(st.id()).append(node.up ? "" : " DOWN").append(' ').append(st.role()).append(" term=")
                    .append(st.term()).append(" lead=").append(st.leader().map(Object::toString).orElse("-"))
                    .append(" commit=").append(st.commit()).append(" applied=").append(st.applied()).append(" last=")
                    .append(st.lastIndex()).append(" voters=").append(st.membership().voters()).append(" learners=")
                    .append(st.membership().learners());
        }
        return out.toString();
    }

    private long maxTerm() {
        long max = 0;
        for (SimNode node : nodes.values()) {
            max = Math.max(max, node.raft.status().term());
        }
        return max;
    }

    private void checkInvariants() {
        List<SimNode> live = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (!node.up) {
                continue;
            }
            live.add(node);
            Status st = node.raft.status();
            if (st.role() == Role.LEADER) {
                NodeId previous = leaders.putIfAbsent(st.term(), st.id());
                check(previous == null || previous.equals(st.id()), "election safety: " + previous + " and " + st.id()
                        + " both led term " + st.term());
                for (long i = st.firstIndex(); i <= maxCommittedIndex; i++) {
                    Entry c = committed.get(i);
                    if (c != null && committedBy.get(i) < st.term()) {
                        check(node.raft.entry(i).map(c::equals).orElse(false), "leader completeness: leader " + st.id()
                                + " of term " + st.term() + " lacks " + c + ", committed by term " + committedBy.get(i));
                    }
                }
            }
            for (long i = st.firstIndex(); i <= st.commit(); i++) {
                Entry c = committed.get(i);
                if (c != null) {
                    check(node.raft.entry(i).orElseThrow().equals(c), "committed entry changed on " + st.id() + " at " + i);
                }
            }
        }
        for (int a = 0; a < live.size(); a++) {
            for (int b = a + 1; b < live.size(); b++) {
                checkLogMatching(live.get(a).raft, live.get(b).raft);
            }
        }
    }

    private void checkLogMatching(RaftNode a, RaftNode b) {
        long lo = Math.max(a.status().firstIndex(), b.status().firstIndex());
        long hi = Math.min(a.status().lastIndex(), b.status().lastIndex());
        boolean matched = false;
        for (long i = hi; i >= lo; i--) {
            Entry x = a.entry(i).orElseThrow();
            Entry y = b.entry(i).orElseThrow();
            if (!matched && x.term() == y.term()) {
                matched = true;
            }
            if (matched) {
                check(x.equals(y), "log matching: " + a.id() + " and " + b.id() + " agree below " + i + " in term but hold "
                        + x + " and " + y);
            }
        }
    }

    private void trace(String event) {
        if (recent.size() == 300) {
            recent.removeFirst();
        }
        recent.addLast("r" + round + " " + event);
    }

    private void check(boolean condition, String violation) {
        if (!condition) {
            System.err.println("raft simulation seed " + seed + " failed; its last events:");
            recent.forEach(System.err::println);
            System.err.println("nodes:" + describe());
            throw new AssertionError("seed " + seed + ", round " + round + ": " + violation
                    + " (replay with -Diridium.seed=" + seed + ")");
        }
    }
}
