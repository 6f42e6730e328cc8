package io.iridium.consensus.group;

import io.iridium.Member;
import io.iridium.Node;
import io.iridium.NodeId;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.ServiceLimits;
import io.iridium.consensus.group.GroupProtocol.Admin;
import io.iridium.consensus.group.GroupProtocol.Done;
import io.iridium.consensus.group.GroupProtocol.Failed;
import io.iridium.consensus.group.GroupProtocol.Reply;
import io.iridium.consensus.group.GroupProtocol.Retry;
import io.iridium.consensus.group.GroupProtocol.Text;
import io.iridium.consensus.log.DiskStorage;
import io.iridium.consensus.machine.Envelope;
import io.iridium.consensus.machine.GroupStateMachine;
import io.iridium.consensus.machine.MachineCodec;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;
import io.iridium.consensus.raft.ConfChange;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.HardState;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Payload;
import io.iridium.consensus.raft.PersistentState;
import io.iridium.consensus.raft.ProposeResult;
import io.iridium.consensus.raft.RaftConfig;
import io.iridium.consensus.raft.RaftMessage;
import io.iridium.consensus.raft.RaftNode;
import io.iridium.consensus.raft.ReadState;
import io.iridium.consensus.raft.Ready;
import io.iridium.consensus.raft.Role;
import io.iridium.consensus.raft.Snapshot;
import io.iridium.consensus.raft.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One member of a Raft group on the fabric: the runtime adapter that drives a {@link RaftNode}.
 *
 * <pre>
 *   fabric requests on the group's cluster ──► handler (virtual threads)
 *        raft message ─────────┐                 command / read / admin: wait for the loop's answer,
 *                              ▼                 or forward once to the leader by name
 *   one loop thread: inbox of steps, ticks, proposals, read indexes
 *        └─ while hasReady: send a leader's appends → persist + fsync (DiskStorage) → send the
 *           rest (requestAsync to each member by name) → restore snapshot, apply entries
 *           (GroupStateMachine) → complete waiting clients → advance → serve reads whose index
 *           is applied → snapshot every N entries
 * </pre>
 *
 * <p>No write waits for a tick: every input is followed at once by the Ready loop, so a
 * proposal is appended, sent to the followers while the leader's own fsync runs, persisted and
 * acknowledged by each follower as soon as its message arrives, and committed when a quorum's
 * acknowledgements are in. Ticks only drive elections and heartbeats, which travel apart from
 * the ordered replication lane so they never delay an append.
 *
 * <p>Everything touching the Raft core, the storage and the state machine runs on the loop
 * thread; inputs queued while it persists are taken together, so one fsync covers a batch of
 * proposals (group commit). Members are known by their stable names ({@link MemberIds}); each is
 * reached at whatever node currently serves the cluster under that name, so a restarted process
 * keeps its place in the group. Membership is bootstrapped from {@link GroupOptions#members()}
 * and changes only through the log ({@link GroupProtocol.AdminOperation}).
 *
 * <p>Commands are stamped with the leader's wall clock when proposed; that stamp is the state
 * machine's only notion of time (lock leases). Reads are linearizable (ReadIndex) unless stale
 * reads or lease reads ({@link Consistency#LEASE}, with the clock assumption documented there)
 * are asked for; every member is configured for leases so that followers honour them, and each
 * read picks its own mode. A command whose outcome a member cannot tell (leadership changed before
 * it committed) is answered "retry": clients retry with the same session sequence number, which
 * the state machine applies at most once.
 */
public final class RaftGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftGroup.class);
    private static final ServiceLimits LIMITS = new ServiceLimits(4096, 512L << 20, 1, 1L << 20);

    private final Node node;
    private final GroupOptions options;
    private final String self;
    private final DiskStorage storage;
    private final RaftNode raft;
    private final GroupStateMachine machine = new GroupStateMachine();
    private final ScheduledExecutorService loop;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
    private final Map<NodeId, String> names = new ConcurrentHashMap<>();
    private final Map<NodeId, PeerOutbox> outboxes = new ConcurrentHashMap<>();
    private final Service service;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    // loop-thread state
    private final Map<Long, Proposal> proposals = new HashMap<>();
    private final Map<Long, CompletableFuture<Void>> readsAwaitingIndex = new HashMap<>();
    private final List<AwaitingApply> readsAwaitingApply = new ArrayList<>();
    private long nextReadId;
    private long snapshotIndex;
    private volatile boolean failed;
    private volatile boolean isolated;
    private volatile GroupStatus status;

    private record Proposal(long term, CompletableFuture<Result> future) {
    }

    private record AwaitingApply(long index, CompletableFuture<Void> future) {
    }

    /** A command or read that did not complete and may be retried. */
    static final class RetryableException extends RuntimeException {
        RetryableException(String message) {
            super(message, null, false, false);
        }
    }

    private RaftGroup(Node node, GroupOptions options, DiskStorage storage, PersistentState state, boolean ticking) {
        this.node = node;
        this.options = options;
        this.self = node.self().name();
        this.storage = storage;
        options.members().forEach(name -> names.put(MemberIds.of(name), name));
        names.put(MemberIds.of(self), self);
        RaftConfig config = RaftConfig.builder(MemberIds.of(self)).electionTicks(options.electionTicks())
                .heartbeatTicks(options.heartbeatTicks())
                .readMode(RaftConfig.ReadMode.LEASE)          // followers honour leases; each read picks its mode
                .build();
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        boolean fresh = state.hardState().equals(HardState.EMPTY) && state.entries().isEmpty()
                && state.snapshot().metadata().index() == 0 && state.snapshot().metadata().membership().all().isEmpty();
        if (!fresh) {
            raft = RaftNode.restart(config, random, state);
            machine.restore(state.snapshot().data());
            snapshotIndex = state.snapshot().metadata().index();
        } else if (options.members().contains(self)) {
            TreeSet<NodeId> voters = new TreeSet<>();
            options.members().forEach(name -> voters.add(MemberIds.of(name)));
            raft = RaftNode.bootstrap(config, random, Membership.ofVoters(voters));
        } else {
            raft = RaftNode.join(config, random);
        }
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raft-" + options.cluster() + "-" + self);
            t.setDaemon(true);
            return t;
        });
        this.status = describe();
        this.service = node.register(options.cluster(), new Handler(), LIMITS);
        if (ticking) {
            long tickMillis = options.tick().toMillis();
            loop.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
        onLoop(() -> { });
    }

    /**
     * Starts this node's member of a group: opens (or creates) its storage, registers the group's
     * cluster, and starts ticking. The node must have a name ({@code Config.name}, {@code --name}).
     *
     * @param node    the running node
     * @param options the group and its founding members
     * @return the running member
     * @throws IOException when the storage cannot be opened (a corrupt log refuses to start)
     */
    public static RaftGroup start(Node node, GroupOptions options) throws IOException {
        return start(node, options, true);
    }

    /**
     * {@link #start(Node, GroupOptions)}, optionally without the clock: with {@code ticking}
     * false, time passes only through {@link #tick()}, so tests can show what happens with no
     * tick at all (a write must still commit).
     */
    static RaftGroup start(Node node, GroupOptions options, boolean ticking) throws IOException {
        String name = node.self().name();
        MemberIds.of(name);                            // fails clearly when the node has no name
        DiskStorage storage = DiskStorage.open(options.dataDir(), DiskStorage.DEFAULT_SEGMENT_BYTES);
        try {
            return new RaftGroup(node, options, storage, storage.load(), ticking);
        } catch (RuntimeException | IOException e) {
            storage.close();
            throw e;
        }
    }

    /**
     * Replicates a command: proposed here when this member leads, else forwarded to the leader.
     * Completes with the command's result once applied, or fails with a retryable error (retry
     * with the same sequence number) when it could not be confirmed.
     *
     * @param envelope the command with its session (its timestamp is replaced by the leader's)
     * @return the result
     */
    public CompletableFuture<Result> submit(Envelope envelope) {
        return CompletableFuture.supplyAsync(() -> toResult(handle(new GroupProtocol.Submit(envelope, false))), callers);
    }

    /**
     * Reads the group's state.
     *
     * @param query       what to read
     * @param consistency linearizable (confirmed with the leader) or stale (this member's state)
     * @return the result
     */
    public CompletableFuture<Result> read(Query query, Consistency consistency) {
        return CompletableFuture.supplyAsync(() -> toResult(handle(new GroupProtocol.Read(query, consistency, false))),
                callers);
    }

    private static Result toResult(Reply reply) {
        return switch (reply) {
            case Done d -> d.result();
            case Retry r -> throw new RetryableException(r.reason());
            case Failed f -> throw new IllegalArgumentException(f.reason());
            case Text t -> throw new IllegalStateException("unexpected text reply: " + t.text());
        };
    }

    /**
     * This member's view of the group.
     *
     * @return its status, as of the last batch the loop handled
     */
    public GroupStatus status() {
        return status;
    }

    /**
     * The cluster name the group serves.
     *
     * @return the name
     */
    public String cluster() {
        return options.cluster();
    }

    /** One tick of the Raft clock (elections, heartbeats), run on the loop. */
    void tick() {
        ticks.incrementAndGet();
        onLoop(raft::tick);
    }

    /**
     * Cuts (or restores) this member's Raft traffic in both directions, as a network partition
     * would, while client requests still reach it: for tests of what a partitioned leader serves.
     *
     * @param cut whether Raft messages to and from this member are lost
     */
    void isolate(boolean cut) {
        isolated = cut;
    }

    /**
     * How many ticks this member has been given.
     *
     * @return the count since start
     */
    long ticks() {
        return ticks.get();
    }

    /**
     * Leaves the cluster and stops the loop, letting a write in progress finish (it is not
     * interrupted mid-fsync); the storage stays for a restart.
     */
    @Override
    public void close() {
        service.close();
        callers.shutdownNow();
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            storage.close();
        } catch (IOException e) {
            LOG.warn("closing the storage of group {}: {}", options.cluster(), e.toString());
        }
    }

    // ---------------------------------------------------------------- requests (handler threads)

    private final class Handler implements ServiceHandler {
        @Override
        public byte[] handleRequest(byte[] request) {
            GroupProtocol.Request decoded;
            try {
                decoded = GroupProtocol.decodeRequest(request);
            } catch (IllegalArgumentException e) {
                return GroupProtocol.encode(new Failed("malformed request: " + e.getMessage()));
            }
            if (decoded instanceof GroupProtocol.Raft r) {
                if (isolated) {
                    return new byte[0];                 // partitioned (tests): Raft traffic is lost
                }
                List<RaftMessage> messages = new ArrayList<>(r.messages().size());
                try {
                    for (byte[] m : r.messages()) {
                        messages.add(RaftMessageCodec.decode(m));
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("group {}: dropping a malformed Raft message: {}", options.cluster(), e.getMessage());
                    return new byte[0];
                }
                onLoop(() -> messages.stream().filter(m -> m.to().equals(raft.id())).forEach(raft::step));
                return new byte[0];
            }
            return GroupProtocol.encode(handle(decoded));
        }
    }

    private Reply handle(GroupProtocol.Request request) {
        if (failed) {
            return new Failed("member " + self + " of group " + options.cluster() + " stopped after a storage failure");
        }
        try {
            return switch (request) {
                case GroupProtocol.Submit s -> submitHere(s);
                case GroupProtocol.Read r -> readHere(r);
                case Admin a -> admin(a);
                case GroupProtocol.Raft r -> throw new IllegalStateException("handled by the handler");
            };
        } catch (RetryableException e) {
            return new Retry(e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Failed(e.getMessage());
        }
    }

    private Reply submitHere(GroupProtocol.Submit submit) {
        CompletableFuture<Result> future = new CompletableFuture<>();
        ProposeResult proposed = call(() -> {
            byte[] data = MachineCodec.encodeEnvelope(submit.envelope().stamped(System.currentTimeMillis()));
            ProposeResult result = raft.propose(data);
            if (result instanceof ProposeResult.Accepted a) {
                proposals.put(a.index(), new Proposal(a.term(), future));
            }
            return result;
        });
        return switch (proposed) {
            case ProposeResult.Accepted a -> new Done(await(future, "commit"));
            case ProposeResult.NotLeader n -> forward(submit.forwarded(), n.leader(),
                    new GroupProtocol.Submit(submit.envelope(), true));
            case ProposeResult.Rejected r -> new Retry(r.reason());
        };
    }

    private Reply readHere(GroupProtocol.Read read) {
        if (read.consistency() == Consistency.STALE) {
            return new Done(call(() -> machine.read(read.query())));
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        boolean asked = call(() -> {
            long id = ++nextReadId;
            RaftConfig.ReadMode mode = read.consistency() == Consistency.LEASE ? RaftConfig.ReadMode.LEASE
                    : RaftConfig.ReadMode.SAFE;
            if (!raft.readIndex(id, mode)) {
                return false;
            }
            readsAwaitingIndex.put(id, future);
            future.whenComplete((r, e) -> onLoop(() -> readsAwaitingIndex.remove(id)));
            return true;
        });
        if (!asked) {
            throw new RetryableException("group " + options.cluster() + " has no leader yet");
        }
        await(future, "a read index");
        // applied now covers the read index; the state only moves forward, so reading it later
        // still reflects every write acknowledged before this read began
        return new Done(call(() -> machine.read(read.query())));
    }

    private Reply admin(Admin admin) {
        if (admin.operation() == GroupProtocol.AdminOperation.STATUS) {
            return new Text(status.describe());
        }
        NodeId target = MemberIds.of(admin.member());
        names.put(target, admin.member());
        Status st = call(raft::status);
        if (st.role() != Role.LEADER) {
            return forward(admin.forwarded(), st.leader(), new Admin(admin.operation(), admin.member(), true));
        }
        return switch (admin.operation()) {
            case ADD -> {
                if (!st.membership().contains(target)) {
                    change(new ConfChange(ConfChange.Type.ADD_LEARNER, target));
                }
                long deadline = System.nanoTime() + options.requestTimeout().toNanos() * 4;
                while (true) {
                    try {
                        change(new ConfChange(ConfChange.Type.ADD_VOTER, target));
                        yield new Text(admin.member() + " is a voter of " + options.cluster());
                    } catch (RetryableException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        sleep(options.tick().multipliedBy(2));
                    }
                }
            }
            case REMOVE -> {
                change(new ConfChange(ConfChange.Type.REMOVE_NODE, target));
                yield new Text(admin.member() + " left " + options.cluster());
            }
            case TRANSFER -> {
                ProposeResult r = call(() -> raft.transferLeadership(target));
                if (r instanceof ProposeResult.Rejected rejected) {
                    yield new Failed(rejected.reason());
                }
                long deadline = System.nanoTime() + options.requestTimeout().toNanos();
                while (System.nanoTime() < deadline && !status.leader().equals(Optional.of(admin.member()))) {
                    sleep(options.tick());
                }
                yield status.leader().equals(Optional.of(admin.member()))
                        ? new Text(admin.member() + " leads " + options.cluster())
                        : new Retry("the transfer to " + admin.member() + " did not finish in time");
            }
            case STATUS -> throw new IllegalStateException("handled above");
        };
    }

    /** Proposes a membership change and waits until it is applied here. */
    private void change(ConfChange change) {
        CompletableFuture<Result> applied = new CompletableFuture<>();
        ProposeResult r = call(() -> {
            ProposeResult result = raft.proposeConfChange(change);
            if (result instanceof ProposeResult.Accepted a) {
                proposals.put(a.index(), new Proposal(a.term(), applied));
            }
            return result;
        });
        switch (r) {
            case ProposeResult.Accepted a -> await(applied, "the membership change");
            case ProposeResult.NotLeader n -> throw new RetryableException("no longer the leader");
            case ProposeResult.Rejected rejected -> throw new RetryableException(rejected.reason());
        }
    }

    /** Sends a request once to the leader, by name; a forwarded request is never forwarded again. */
    private Reply forward(boolean alreadyForwarded, Optional<NodeId> leader, GroupProtocol.Request request) {
        if (alreadyForwarded) {
            return new Retry("member " + self + " is not the leader of " + options.cluster());
        }
        if (leader.isEmpty()) {
            return new Retry("group " + options.cluster() + " has no leader yet");
        }
        NodeId fabric = resolve().get(leader.get());
        if (fabric == null) {
            return new Retry("the leader of " + options.cluster() + " is not reachable from " + self);
        }
        try {
            byte[] reply = node.requestAsync(options.cluster(), fabric, GroupProtocol.encode(request),
                    options.requestTimeout().plusSeconds(1)).get();
            return GroupProtocol.decodeReply(reply);
        } catch (ExecutionException e) {
            return new Retry("forwarding to the leader failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Retry("interrupted");
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RetryableException("timed out waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetryableException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted");
        }
    }

    /** Runs {@code task} on the loop thread and waits for its value. */
    private <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onLoop(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return await(result, "the group's loop");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted");
        }
    }

    /** The fabric node currently serving the cluster under each member's name, by Raft id. */
    private Map<NodeId, NodeId> resolve() {
        Map<NodeId, NodeId> byRaftId = new HashMap<>();
        for (Member m : node.servers(options.cluster())) {
            if (m.name() != null && !m.name().isBlank()) {
                NodeId id = MemberIds.of(m.name());
                names.putIfAbsent(id, m.name());
                byRaftId.put(id, m.id());
            }
        }
        return byRaftId;
    }

    // ---------------------------------------------------------------- the loop

    private void onLoop(Runnable task) {
        inbox.add(task);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::runInbox);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                inbox.clear();
            }
        }
    }

    private void runInbox() {
        drainScheduled.set(false);
        if (failed) {
            inbox.clear();
            return;
        }
        Runnable task;
        while ((task = inbox.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("group {}: a task failed: {}", options.cluster(), e.toString());
            }
        }
        try {
            handleReadies();
        } catch (IOException | RuntimeException e) {
            failed = true;
            LOG.error("group {}: member {} stops: its storage failed, so it cannot tell what is durable", options.cluster(),
                    self, e);
            proposals.values().forEach(p -> p.future().completeExceptionally(new RetryableException("member stopped")));
            proposals.clear();
            service.close();
        }
        status = describe();
    }

    private void handleReadies() throws IOException {
        Map<NodeId, NodeId> routes = null;
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            if (!rd.eagerMessages().isEmpty()) {
                routes = routes == null ? resolve() : routes;
                sendAll(routes, rd.eagerMessages());          // replicate while our own fsync runs
            }
            storage.persist(rd);
            if (!rd.messages().isEmpty()) {
                routes = routes == null ? resolve() : routes;
                sendAll(routes, rd.messages());              // may acknowledge what was just persisted
            }
            rd.snapshot().ifPresent(s -> {
                machine.restore(s.data());
                snapshotIndex = s.metadata().index();
            });
            for (Entry e : rd.committedEntries()) {
                Result result = e.payload() instanceof Payload.Data d ? machine.apply(d.bytes()) : null;
                Proposal p = proposals.remove(e.index());
                if (p != null) {
                    if (p.term() == e.term()) {
                        p.future().complete(result);
                    } else {
                        p.future().completeExceptionally(new RetryableException("leadership changed before the command"
                                + " committed; retry it"));
                    }
                }
            }
            for (ReadState rs : rd.readStates()) {
                CompletableFuture<Void> waiting = readsAwaitingIndex.remove(rs.requestId());
                if (waiting != null) {
                    readsAwaitingApply.add(new AwaitingApply(rs.index(), waiting));
                }
            }
            raft.advance(rd);
            serveReads();
            maybeSnapshot();
        }
    }

    private void sendAll(Map<NodeId, NodeId> routes, List<RaftMessage> messages) {
        if (isolated) {
            return;
        }
        for (RaftMessage m : messages) {
            NodeId fabric = routes.get(m.to());
            if (fabric == null) {
                continue;                               // not reachable now: Raft retries
            }
            byte[] encoded = RaftMessageCodec.encode(m);
            if (ordered(m)) {
                outboxes.computeIfAbsent(m.to(), to -> new PeerOutbox()).send(fabric, encoded);
            } else {
                node.requestAsync(options.cluster(), fabric, GroupProtocol.encode(new GroupProtocol.Raft(List.of(encoded))),
                        peerTimeout());
            }
        }
    }

    /**
     * Whether a message travels in its peer's ordered lane: log replication and its
     * acknowledgements, where order saves rounds of back-off. Everything else (heartbeats and
     * their answers, votes, read indexes, transfer) goes at once on its own, so a tick-driven
     * heartbeat never holds the lane a write's append is waiting for, and Raft tolerates these
     * being reordered or lost.
     */
    private static boolean ordered(RaftMessage m) {
        return m instanceof RaftMessage.Append || m instanceof RaftMessage.AppendResponse
                || m instanceof RaftMessage.InstallSnapshot || m instanceof RaftMessage.SnapshotResponse;
    }

    private Duration peerTimeout() {
        return options.tick().multipliedBy(options.electionTicks());
    }

    /**
     * The replication messages for one peer, sent in order: at most one request in flight, and
     * whatever queued meanwhile goes as one batch when it completes (the receiver only queues a
     * batch for its loop before answering, so a round trip costs no fsync). Requests to one member may overtake
     * each other on the fabric; Raft tolerates that, but an append that overtakes its predecessor
     * is rejected and costs a round of back-off, so order is kept here. A peer that does not
     * answer delays only its own queue, which is bounded: beyond it the oldest messages are
     * dropped, as a lossy network would (Raft resends what matters).
     */
    private final class PeerOutbox {
        private static final int MAX_QUEUED = 4096;
        private final java.util.ArrayDeque<byte[]> queue = new java.util.ArrayDeque<>();
        private boolean inFlight;
        private NodeId fabric;

        /** Queues a message for the peer, now served by the node {@code current}. */
        synchronized void send(NodeId current, byte[] message) {
            fabric = current;
            if (queue.size() == MAX_QUEUED) {
                queue.removeFirst();
            }
            queue.addLast(message);
            if (!inFlight) {
                flush();
            }
        }

        private synchronized void flush() {
            if (queue.isEmpty()) {
                inFlight = false;
                return;
            }
            inFlight = true;
            List<byte[]> batch = new ArrayList<>(queue);
            queue.clear();
            node.requestAsync(options.cluster(), fabric, GroupProtocol.encode(new GroupProtocol.Raft(batch)), peerTimeout())
                    .whenComplete((reply, failure) -> flush());
        }
    }

    private void serveReads() {
        long applied = raft.status().applied();
        for (Iterator<AwaitingApply> it = readsAwaitingApply.iterator(); it.hasNext(); ) {
            AwaitingApply a = it.next();
            if (a.index() <= applied) {
                it.remove();
                a.future().complete(null);
            }
        }
    }

    private void maybeSnapshot() throws IOException {
        Status st = raft.status();
        if (st.applied() - snapshotIndex < options.snapshotEntries()) {
            return;
        }
        long index = st.applied();
        long term = raft.entry(index).map(Entry::term).orElseThrow();
        byte[] image = machine.snapshot();
        storage.saveSnapshot(new Snapshot(new Snapshot.Metadata(index, term, st.membership()), image));
        raft.compact(index, image);
        snapshotIndex = index;
    }

    private GroupStatus describe() {
        Status st = raft.status();
        return new GroupStatus(options.cluster(), self, st.role(), st.term(), st.leader().map(this::nameOf), st.commit(),
                st.applied(), st.membership().voters().stream().map(this::nameOf).sorted().toList(),
                st.membership().learners().stream().map(this::nameOf).sorted().toList(), machine.revision());
    }

    private String nameOf(NodeId raftId) {
        return names.getOrDefault(raftId, raftId.toString());
    }
}
