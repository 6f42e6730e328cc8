package io.iridium.consensus.raft;

import io.iridium.NodeId;
import io.iridium.consensus.machine.Command;
import io.iridium.consensus.machine.Envelope;
import io.iridium.consensus.machine.GroupStateMachine;
import io.iridium.consensus.machine.KeyValue;
import io.iridium.consensus.machine.MachineCodec;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;
import io.iridium.testkit.linearizability.CounterModel;
import io.iridium.testkit.linearizability.History;
import io.iridium.testkit.linearizability.KvModel;
import io.iridium.testkit.linearizability.LinearizabilityChecker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of a five-node Raft group running the real
 * {@link GroupStateMachine} (KV store, counters, locks, client sessions) for concurrent clients,
 * under seeded faults; one seed reproduces one run exactly.
 *
 * <p>Time advances in rounds. In each round nodes tick (each at its own rate: clock skew, and
 * not at all while paused), due messages are delivered in random order (reordering) after random
 * delays, some are dropped or duplicated, partitions come and go, nodes crash (losing whatever
 * their last Ready wrote but did not sync: the crash may strike between write and fsync) and
 * restart from their simulated disk, and clients issue put, compare-and-set and linearizable
 * (ReadIndex) get operations, counter adds and reads, and lock acquire, keep-alive and release
 * against random nodes. A write that times out or is refused is retried, on another node, with
 * the same session sequence number, so sessions must make it apply once. Each leader stamps what
 * it proposes with its own skewed clock. After every round the checker asserts:
 *
 * <ul>
 *   <li>election safety: at most one leader per term, ever;</li>
 *   <li>log matching: any two logs agreeing on an entry's term agree on everything before it;</li>
 *   <li>leader completeness: every leader holds every entry committed before its term;</li>
 *   <li>state machine safety, and committed entries never change: every node applies the same
 *       entry at each index, and each node's committed prefix matches it;</li>
 *   <li>every replica's state machine returns, at each index, the result of a reference machine
 *       that applies each committed entry once;</li>
 *   <li>fencing: each lock's holder changes only when it released or its lease ended in log time,
 *       and every grant's token is larger than every earlier one.</li>
 * </ul>
 *
 * <p>At the end the faults stop, the group heals, a final linearizable read of every key is
 * taken, and the KV and counter histories are checked for linearizability, so an acknowledged
 * write that was lost, or a retried add applied twice, shows up as a violation.
 */
final class RaftSimulation {

    static final int NODES = 5;
    private static final String[] KEYS = {"a", "b", "c"};
    private static final String[] COUNTERS = {"n", "m"};
    private static final String LOCK = "L";
    /** Processes 0-3 use the KV store, 4-5 the counters, 6-7 the lock. */
    private static final int CLIENTS = 8;
    private static final int TIMEOUT_ROUNDS = 40;
    private static final int MAX_ATTEMPTS = 6;
    private static final long MILLIS_PER_TICK = 10;

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
    private final History<CounterModel.Op, Long> counterHistory = new History<>();
    private final Map<Integer, ClientOp> clients = new HashMap<>();
    private final long[] sequences = new long[CLIENTS + 200];
    private final LockClient[] lockClients = new LockClient[CLIENTS];
    private final GroupStateMachine reference = new GroupStateMachine();
    private long referenceApplied;
    private final Map<Long, Result> referenceResults = new HashMap<>();
    private long lastGrantedToken;
    private boolean lastOpSucceeded;
    private final double dropRate;
    private final double duplicateRate;
    private final double crashRate;
    private long round;
    private long nextOpId;
    private long traceHash = 17;
    /** The last events, printed when a check fails. */
    private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
    int acknowledgedWrites;
    int retries;
    int lockGrants;
    int membershipChanges;
    private final boolean changeMembership;
    private final boolean leaseReads;
    int messagesDelivered;

    private record InFlight(RaftMessage message, long deliverAt) {
    }

    private enum Kind { KV, COUNTER, LOCK }

    /**
     * One client operation in flight, over all its attempts: a write (an envelope with the
     * client's session and sequence number) or a read (a query after a ReadIndex).
     */
    private static final class ClientOp {
        final int client;
        final Kind kind;
        final Object op;
        final Envelope envelope;
        final Query query;
        NodeId node;
        long index = -1;
        long term = -1;
        long requestId = -1;
        long started;
        long retryAt = -1;
        int attempts;
        boolean proposed;

        ClientOp(int client, Kind kind, Object op, Envelope envelope, Query query) {
            this.client = client;
            this.kind = kind;
            this.op = op;
            this.envelope = envelope;
            this.query = query;
        }

        boolean waiting() {
            return retryAt < 0;
        }
    }

    /** What a lock client believes: whether it holds the lock, and until which round it will. */
    private static final class LockClient {
        boolean holding;
        long releaseAt;
    }

    private final class SimNode {
        final NodeId id;
        final MemoryDisk disk = new MemoryDisk();
        final double tickRate;
        RaftNode raft;
        GroupStateMachine machine = new GroupStateMachine();
        final long clockOffset;
        long clockTicks;
        boolean up = true;
        long pausedUntil = -1;
        long snapshotIndex;
        final List<ReadState> waitingReads = new ArrayList<>();

        SimNode(NodeId id, double tickRate, long clockOffset) {
            this.id = id;
            this.tickRate = tickRate;
            this.clockOffset = clockOffset;
        }

        /** This node's wall clock in milliseconds: skewed by its offset and its tick rate. */
        long clock() {
            return clockOffset + clockTicks * MILLIS_PER_TICK;
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
            SimNode node = new SimNode(id, leaseReads ? 1.0 : 0.8 + random.nextDouble() * 0.2, random.nextInt(2000));
            node.raft = RaftNode.bootstrap(config, random.split(), members);
            nodes.put(id, node);
        }
        for (int c = 0; c < CLIENTS; c++) {
            lockClients[c] = new LockClient();
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
        check(result.verdict() == LinearizabilityChecker.Verdict.LINEARIZABLE, "KV history of " + history.size()
                + " operations is " + result.verdict() + ": " + result.explanation());
        LinearizabilityChecker.Result counts = LinearizabilityChecker.check(CounterModel.INSTANCE, counterHistory);
        check(counts.verdict() == LinearizabilityChecker.Verdict.LINEARIZABLE, "counter history of "
                + counterHistory.size() + " operations is " + counts.verdict() + ": " + counts.explanation());
    }

    long traceHash() {
        return traceHash;
    }

    int operations() {
        return history.size() + counterHistory.size();
    }

    private void finalReads() {
        int client = CLIENTS;
        for (String key : KEYS) {
            finalRead(client++, Kind.KV, new KvModel.Get(key), new Query.Get(key), key);
        }
        for (String counter : COUNTERS) {
            finalRead(client++, Kind.COUNTER, new CounterModel.Read(counter), new Query.CounterValue(counter), counter);
        }
    }

    private void finalRead(int client, Kind kind, Object op, Query query, String what) {
        boolean done = false;
        for (int attempt = 0; attempt < 10 && !done; attempt++) {
            lastOpSucceeded = false;
            begin(new ClientOp(client, kind, op, null, query));
            for (int r = 0; r < 400 && clients.containsKey(client); r++) {
                stepRound(false);
            }
            done = lastOpSucceeded;
        }
        check(done, "no final read of " + what + " succeeded after healing; nodes: " + describe());
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
        byte[] expected = leader.machine.snapshot();
        for (NodeId member : leader.raft.status().membership().all()) {
            SimNode node = nodes.get(member);
            check(node.raft.status().applied() >= commit, member + " did not catch up to " + commit + "; nodes: " + describe());
            if (node.raft.status().applied() == commit) {
                check(Arrays.equals(expected, node.machine.snapshot()), member + " diverged: " + node.machine
                        + " vs the leader's " + leader.machine);
            }
        }
    }

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
                node.clockTicks++;
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
        for (ClientOp op : List.copyOf(clients.values())) {
            if (!op.waiting() && round >= op.retryAt) {
                attempt(op);
            } else if (op.waiting() && round - op.started > TIMEOUT_ROUNDS) {
                retry(op, "timed out");
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
        if (client < 4) {
            String key = KEYS[random.nextInt(KEYS.length)];
            switch (random.nextInt(3)) {
                case 0 -> begin(new ClientOp(client, Kind.KV, new KvModel.Get(key), null, new Query.Get(key)));
                case 1 -> {
                    String value = "v" + nextOpId++;
                    write(client, Kind.KV, new KvModel.Put(key, value), new Command.Put(key, bytes(value)));
                }
                default -> {
                    String expected = random.nextInt(3) == 0 ? null : "v" + random.nextLong(Math.max(1, nextOpId));
                    String value = "v" + nextOpId++;
                    write(client, Kind.KV, new KvModel.Cas(key, expected, value),
                            new Command.CompareAndSet(key, expected == null ? null : bytes(expected), bytes(value)));
                }
            }
        } else if (client < 6) {
            String counter = COUNTERS[random.nextInt(COUNTERS.length)];
            if (random.nextInt(3) == 0) {
                begin(new ClientOp(client, Kind.COUNTER, new CounterModel.Read(counter), null, new Query.CounterValue(counter)));
            } else {
                long delta = 1 + random.nextInt(3);
                write(client, Kind.COUNTER, new CounterModel.Add(counter, delta), new Command.Add(counter, delta));
            }
        } else {
            LockClient lc = lockClients[client];
            Command command;
            if (lc.holding && round >= lc.releaseAt) {
                command = new Command.Release(LOCK);
            } else if (lc.holding) {
                command = new Command.KeepAlive();
            } else {
                command = new Command.Acquire(LOCK, (5 + random.nextInt(60)) * MILLIS_PER_TICK);
            }
            write(client, Kind.LOCK, command, command);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void write(int client, Kind kind, Object op, Command command) {
        long clientId = 1000 + client;
        begin(new ClientOp(client, kind, op, new Envelope(clientId, ++sequences[client], 0, command), null));
    }

    /** Records the invocation and makes the first attempt. */
    private void begin(ClientOp op) {
        switch (op.kind) {
            case KV -> history.invoke(op.client, (KvModel.Op) op.op);
            case COUNTER -> counterHistory.invoke(op.client, (CounterModel.Op) op.op);
            case LOCK -> {
            }
        }
        clients.put(op.client, op);
        attempt(op);
    }

    /**
     * Sends one attempt to a random node: a write is proposed there, stamped with that node's
     * clock (it only succeeds on the leader); a read asks for a read index.
     */
    private void attempt(ClientOp op) {
        op.attempts++;
        op.retryAt = -1;
        op.started = round;
        op.index = -1;
        op.requestId = -1;
        SimNode node = nodes.get(ids.get(random.nextInt(NODES)));
        op.node = node.id;
        if (!node.active()) {
            retryLater(op);
            return;
        }
        if (op.envelope != null) {
            byte[] data = MachineCodec.encodeEnvelope(op.envelope.stamped(node.clock()));
            switch (node.raft.propose(data)) {
                case ProposeResult.Accepted a -> {
                    op.index = a.index();
                    op.term = a.term();
                    op.proposed = true;
                }
                case ProposeResult.NotLeader n -> retryLater(op);
                case ProposeResult.Rejected r -> retryLater(op);
            }
        } else {
            op.requestId = nextOpId++;
            if (!node.raft.readIndex(op.requestId)) {
                retryLater(op);
            }
        }
        handleReadies(node);
    }

    private void retryLater(ClientOp op) {
        if (op.attempts >= MAX_ATTEMPTS) {
            giveUp(op);
        } else {
            op.retryAt = round + 1 + random.nextInt(4);
        }
    }

    private void retry(ClientOp op, String why) {
        if (op.envelope != null) {
            retries++;
            trace("RETRY client " + op.client + " seq " + op.envelope.sequence() + ": " + why);
        }
        retryLater(op);
    }

    /** After the last attempt: unknown when a write may have been proposed, else failed. */
    private void giveUp(ClientOp op) {
        clients.remove(op.client);
        boolean unknown = op.proposed;
        switch (op.kind) {
            case KV -> {
                if (unknown) {
                    history.info(op.client);
                } else {
                    history.fail(op.client);
                }
            }
            case COUNTER -> {
                if (unknown) {
                    counterHistory.info(op.client);
                } else {
                    counterHistory.fail(op.client);
                }
            }
            case LOCK -> lockClients[op.client].holding = false;
        }
    }

    private void complete(ClientOp op, Result result) {
        clients.remove(op.client);
        lastOpSucceeded = true;
        check(!(result instanceof Result.Rejected), "client " + op.client + " was refused: " + result);
        switch (op.kind) {
            case KV -> history.ok(op.client, switch (result) {
                case Result.Written w -> new KvModel.Written();
                case Result.Swapped sw -> new KvModel.Swapped(sw.swapped());
                case Result.Found f -> new KvModel.Value(f.entry().map(KeyValue::valueText).orElse(null));
                default -> throw new AssertionError("unexpected KV result " + result);
            });
            case COUNTER -> counterHistory.ok(op.client, ((Result.Count) result).value());
            case LOCK -> {
                LockClient lc = lockClients[op.client];
                switch (result) {
                    case Result.Granted g -> {
                        if (!lc.holding) {
                            lc.holding = true;
                            lc.releaseAt = round + 5 + random.nextInt(40);
                        }
                    }
                    case Result.Queued q -> lc.holding = false;
                    case Result.Released r -> lc.holding = false;
                    case Result.Renewed r -> lc.holding = r.leases() > 0;
                    default -> throw new AssertionError("unexpected lock result " + result);
                }
            }
        }
    }

    private void handleReadies(SimNode node) {
        while (node.up && node.raft.hasReady()) {
            Ready rd = node.raft.ready();
            rd.eagerMessages().forEach(this::send);   // a leader replicates while it writes
            node.disk.write(rd);
            if (faultsOn && rd.mustSync() && random.nextDouble() < crashRate) {
                crash(node);                       // between write and fsync: the write is lost
                return;
            }
            node.disk.sync();
            rd.messages().forEach(this::send);
            rd.snapshot().ifPresent(s -> {
                node.machine.restore(s.data());
                node.snapshotIndex = s.metadata().index();
                for (ClientOp op : List.copyOf(clients.values())) {
                    if (op.waiting() && op.node.equals(node.id) && op.index > 0 && op.index <= s.metadata().index()) {
                        retry(op, "a snapshot replaced the entry on " + node.id);
                    }
                }
            });
            for (Entry e : rd.committedEntries()) {
                Entry previous = committed.putIfAbsent(e.index(), e);
                if (previous == null) {
                    committedBy.put(e.index(), maxTerm());
                    maxCommittedIndex = Math.max(maxCommittedIndex, e.index());
                    advanceReference();
                }
                check(previous == null || previous.equals(e), "state machine safety: " + node.id + " applies " + e
                        + " but " + previous + " was applied at that index");
                Result result = e.payload() instanceof Payload.Data d ? node.machine.apply(d.bytes()) : null;
                if (result != null) {
                    Result expected = referenceResults.get(e.index());
                    check(result.equals(expected), node.id + " returned " + result + " at " + e.index()
                            + " where the reference machine returned " + expected);
                }
                for (ClientOp op : List.copyOf(clients.values())) {
                    if (op.waiting() && op.node.equals(node.id) && op.index == e.index()) {
                        if (e.term() == op.term) {
                            complete(op, result);
                            acknowledgedWrites++;
                        } else {
                            retry(op, "another entry won index " + e.index());
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
                if (op.waiting() && op.node.equals(node.id) && op.requestId == rs.requestId()) {
                    complete(op, node.machine.read(op.query));
                }
            }
        }
    }

    private void maybeCompact(SimNode node) {
        Status st = node.raft.status();
        if (st.applied() - node.snapshotIndex >= 25) {
            byte[] image = node.machine.snapshot();
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
            if (op.waiting() && op.node.equals(node.id)) {
                retry(op, node.id + " crashed");
            }
        }
    }

    private void restart(SimNode node) {
        trace("RESTART " + node.id);
        PersistentState state = node.disk.load();
        node.raft = RaftNode.restart(configs.get(node.id), random.split(), state);
        node.machine = new GroupStateMachine();
        node.machine.restore(state.snapshot().data());
        node.snapshotIndex = state.snapshot().metadata().index();
        node.up = true;
        node.pausedUntil = -1;
        handleReadies(node);
    }

    /**
     * Applies newly committed entries, in index order and each once, to the reference machine,
     * and checks the fencing invariant across each one.
     */
    private void advanceReference() {
        while (committed.containsKey(referenceApplied + 1)) {
            Entry e = committed.get(++referenceApplied);
            if (!(e.payload() instanceof Payload.Data data)) {
                continue;
            }
            Envelope envelope = MachineCodec.decodeEnvelope(data.bytes());
            Optional<Result.LockHeld> before = reference.holder(LOCK);
            referenceResults.put(e.index(), reference.apply(envelope));
            Optional<Result.LockHeld> after = reference.holder(LOCK);
            boolean changed = before.map(Result.LockHeld::token).orElse(0L) != after.map(Result.LockHeld::token).orElse(0L);
            if (changed && before.isPresent()) {
                boolean released = envelope.command() instanceof Command.Release r && r.lock().equals(LOCK)
                        && envelope.clientId() == before.get().holder().orElseThrow();
                check(released || before.get().expiresAt() <= reference.now(), "fencing: token " + before.get().token()
                        + " of client " + before.get().holder().orElseThrow() + " lost the lock at log time "
                        + reference.now() + " before its lease ended at " + before.get().expiresAt());
            }
            if (changed && after.isPresent()) {
                check(after.get().token() > lastGrantedToken, "fencing: token " + after.get().token()
                        + " granted after token " + lastGrantedToken);
                lastGrantedToken = after.get().token();
                lockGrants++;
                trace("GRANT " + LOCK + " token " + lastGrantedToken + " to client " + after.get().holder().orElseThrow());
            }
        }
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
