package io.iridium.consensus.raft;

import io.iridium.NodeId;
import io.iridium.consensus.raft.RaftMessage.Append;
import io.iridium.consensus.raft.RaftMessage.AppendResponse;
import io.iridium.consensus.raft.RaftMessage.Heartbeat;
import io.iridium.consensus.raft.RaftMessage.HeartbeatResponse;
import io.iridium.consensus.raft.RaftMessage.InstallSnapshot;
import io.iridium.consensus.raft.RaftMessage.PreVote;
import io.iridium.consensus.raft.RaftMessage.PreVoteResponse;
import io.iridium.consensus.raft.RaftMessage.ReadIndex;
import io.iridium.consensus.raft.RaftMessage.ReadIndexResponse;
import io.iridium.consensus.raft.RaftMessage.RequestVote;
import io.iridium.consensus.raft.RaftMessage.SnapshotResponse;
import io.iridium.consensus.raft.RaftMessage.TimeoutNow;
import io.iridium.consensus.raft.RaftMessage.VoteResponse;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One member of a Raft group, as a pure state machine (the Raft paper, Ongaro's thesis, and
 * etcd-io/raft's {@code raft.go} and {@code RawNode}).
 *
 * <h2>Driving it</h2>
 * Inputs are {@link #step(RaftMessage)}, {@link #tick()}, {@link #propose(byte[])},
 * {@link #proposeConfChange(ConfChange)}, {@link #readIndex(long)},
 * {@link #transferLeadership(NodeId)}, {@link #campaign()} and {@link #compact(long, byte[])}.
 * Outputs accumulate until the driver takes them with {@link #ready()}, handles the
 * {@link Ready} in its documented order (persist, then send, then apply) and calls
 * {@link #advance(Ready)}. At most one Ready is outstanding; inputs may arrive between
 * {@code ready()} and {@code advance()}.
 *
 * <h2>Threading and failure</h2>
 * Not thread-safe: one thread owns a node. It never blocks, never does I/O, and throws only for
 * misuse (an invalid argument, a second outstanding Ready) or for a broken invariant, which means
 * a bug or corrupted storage. Expected outcomes such as "not the leader" are return values.
 *
 * <h2>Safety</h2>
 * <ul>
 *   <li>a node votes at most once per term and only for a log at least as up to date as its own;</li>
 *   <li>a leader never overwrites its log and counts replicas only for entries of its own term
 *       (Figure 8); its own log counts only once persisted ({@link #advance});</li>
 *   <li>a follower rejects an append whose predecessor does not match, and never truncates a
 *       committed entry;</li>
 *   <li>membership changes take effect when applied; a leader accepts the next one only after the
 *       previous has been applied and an entry of its term has been committed;</li>
 *   <li>a read index is served only after a quorum confirms, after the read arrived, that this
 *       node still leads (or, with {@link RaftConfig.ReadMode#LEASE}, while its lease holds).</li>
 * </ul>
 */
public final class RaftNode {

    private final RaftConfig config;
    private final NodeId id;
    private final RandomGenerator random;
    private final RaftLog log;

    private long term;
    private NodeId vote;
    private NodeId lead;
    private Role role = Role.FOLLOWER;
    private Membership membership;

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    private long ticks;

    private final Map<NodeId, Boolean> votes = new HashMap<>();
    private final Map<NodeId, Progress> progress = new TreeMap<>();
    private NodeId leadTransferee;
    private long pendingConfIndex;
    private boolean appendsPending;

    private long heartbeatRound;
    private final ArrayDeque<PendingRead> pendingReads = new ArrayDeque<>();
    private final List<PendingRead> readsAwaitingCommit = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();

    private SnapshotAssembly assembly;
    private final List<RaftMessage> outbox = new ArrayList<>();
    private HardState prevHardState;
    private Ready outstanding;

    private record PendingRead(long index, long round, NodeId from, long requestId, boolean lease) {
    }

    private static final class SnapshotAssembly {
        final NodeId leader;
        final Snapshot.Metadata metadata;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        SnapshotAssembly(NodeId leader, Snapshot.Metadata metadata) {
            this.leader = leader;
            this.metadata = metadata;
        }
    }

    private RaftNode(RaftConfig config, RandomGenerator random, PersistentState state, HardState persistedHardState) {
        this.config = Objects.requireNonNull(config, "config");
        this.id = config.id();
        this.random = Objects.requireNonNull(random, "random");
        this.log = new RaftLog(state.snapshot(), state.entries(), state.hardState().commit());
        this.term = state.hardState().term();
        this.vote = state.hardState().vote();
        this.membership = state.snapshot().metadata().membership();
        this.prevHardState = persistedHardState;
        becomeFollower(term, null);
    }

    /**
     * Creates the first incarnation of a founding member of a new group. Its first
     * {@link Ready} carries the initial configuration as a snapshot at index 0, to persist.
     *
     * @param config  this node's settings
     * @param random  the seeded source of election timeouts
     * @param members the founding voters, including this node
     * @return a follower in term 0
     */
    public static RaftNode bootstrap(RaftConfig config, RandomGenerator random, Membership members) {
        Snapshot initial = new Snapshot(new Snapshot.Metadata(0, 0, members), new byte[0]);
        RaftNode node = new RaftNode(config, random, new PersistentState(HardState.EMPTY, initial, List.of()), null);
        node.log.restore(initial);
        return node;
    }

    /**
     * Creates a node that is not yet a member: it waits for a leader to add it and replicate
     * the log (or a snapshot) to it. It never campaigns until it has applied a configuration
     * that makes it a voter.
     *
     * @param config this node's settings
     * @param random the seeded source of election timeouts
     * @return a follower with no configuration
     */
    public static RaftNode join(RaftConfig config, RandomGenerator random) {
        return bootstrap(config, random, Membership.EMPTY);
    }

    /**
     * Recreates a node from what it had persisted and synced. Committed entries after the
     * snapshot are handed out again for the application to re-apply, on top of the snapshot's
     * state.
     *
     * @param config this node's settings (the same id as before)
     * @param random the seeded source of election timeouts
     * @param state  what the node's storage holds
     * @return a follower in the persisted term
     */
    public static RaftNode restart(RaftConfig config, RandomGenerator random, PersistentState state) {
        return new RaftNode(config, random, state, state.hardState());
    }

    // ---------------------------------------------------------------- inputs

    /** Advances logical time by one tick: elections, heartbeats, quorum checks, transfer timeouts. */
    public void tick() {
        ticks++;
        if (role == Role.LEADER) {
            tickLeader();
        } else {
            electionElapsed++;
            if (promotable() && electionElapsed >= randomizedElectionTimeout) {
                electionElapsed = 0;
                campaign();
            }
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                if (!quorumActive()) {
                    becomeFollower(term, null);
                    return;
                }
                progress.values().forEach(p -> p.recentActive = false);
            }
            leadTransferee = null;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcastHeartbeat();
        }
    }

    /**
     * Starts an election now (with a pre-vote first when enabled), as if the election timeout
     * had elapsed. Does nothing on a leader or on a node that may not campaign.
     */
    public void campaign() {
        if (role == Role.LEADER || !promotable()) {
            return;
        }
        startCampaign(config.preVote() ? CampaignKind.PRE_VOTE : CampaignKind.ELECTION);
    }

    /**
     * Proposes an application command. Only a leader accepts; proposals are batched into one
     * append per follower per {@link Ready}.
     *
     * @param command opaque bytes, not copied
     * @return where it was appended, or why it was not
     */
    public ProposeResult propose(byte[] command) {
        return appendProposal(new Payload.Data(Objects.requireNonNull(command, "command")));
    }

    /**
     * Proposes a single-server membership change. Rejected while a previous change is not yet
     * applied, before the leader has committed an entry of its term, when it changes nothing,
     * when it would remove the last voter, and when promoting a learner that lags by more than
     * {@link RaftConfig#learnerCatchUpEntries()}.
     *
     * @param change the change
     * @return where it was appended, or why it was not
     */
    public ProposeResult proposeConfChange(ConfChange change) {
        Objects.requireNonNull(change, "change");
        if (role != Role.LEADER) {
            return new ProposeResult.NotLeader(Optional.ofNullable(lead));
        }
        if (pendingConfIndex > log.applied) {
            return new ProposeResult.Rejected("a membership change is pending, or no entry of this term is applied yet");
        }
        Membership next = membership.apply(change);
        if (next.equals(membership)) {
            return new ProposeResult.Rejected("the change leaves the membership as it is");
        }
        if (next.voters().isEmpty()) {
            return new ProposeResult.Rejected("a group needs at least one voter");
        }
        if (change.type() == ConfChange.Type.ADD_VOTER && membership.learners().contains(change.node())) {
            Progress pr = progress.get(change.node());
            if (pr == null || pr.match + config.learnerCatchUpEntries() < log.lastIndex()) {
                return new ProposeResult.Rejected("learner " + change.node() + " has not caught up");
            }
        }
        ProposeResult result = appendProposal(new Payload.Change(change));
        if (result instanceof ProposeResult.Accepted accepted) {
            pendingConfIndex = accepted.index();
        }
        return result;
    }

    private ProposeResult appendProposal(Payload payload) {
        if (role != Role.LEADER) {
            return new ProposeResult.NotLeader(Optional.ofNullable(lead));
        }
        if (leadTransferee != null) {
            return new ProposeResult.Rejected("leadership is being transferred to " + leadTransferee);
        }
        long index = log.lastIndex() + 1;
        log.append(new Entry(index, term, payload));
        appendsPending = true;
        return new ProposeResult.Accepted(index, term);
    }

    /**
     * Asks for a linearizable read in this node's configured {@link RaftConfig#readMode()}:
     * {@code readIndex(requestId, config.readMode())}.
     *
     * @param requestId the caller's id, echoed in the {@link ReadState}; unique per node
     * @return false when no leader is known, so nothing was requested
     */
    public boolean readIndex(long requestId) {
        return readIndex(requestId, config.readMode());
    }

    /**
     * Asks for a read index confirmed as {@code mode} says. When confirmed, a {@link ReadState}
     * with {@code requestId} appears in a later {@link Ready}; serve the read once the state
     * machine has applied its index. On a follower the request is forwarded to the leader. The
     * request may be silently lost (leader change, message loss): callers time out and retry.
     *
     * <p>{@link RaftConfig.ReadMode#SAFE} waits for a quorum to acknowledge a heartbeat sent
     * after the read arrived. {@link RaftConfig.ReadMode#LEASE} lets the leader answer at once
     * while its lease holds (falling back to a quorum round when it has lapsed); it rests on the
     * clock assumption documented there and needs every member configured with
     * {@code ReadMode.LEASE}, which is what makes followers honour leases. A node so configured
     * still serves {@code SAFE} reads with a quorum round: the mode is chosen per read.
     *
     * @param requestId the caller's id, echoed in the {@link ReadState}; unique per node
     * @param mode      how leadership is confirmed for this read
     * @return false when no leader is known, so nothing was requested
     * @throws IllegalArgumentException when a lease read is asked of a node not configured for leases
     */
    public boolean readIndex(long requestId, RaftConfig.ReadMode mode) {
        Objects.requireNonNull(mode, "mode");
        boolean lease = mode == RaftConfig.ReadMode.LEASE;
        if (lease && config.readMode() != RaftConfig.ReadMode.LEASE) {
            throw new IllegalArgumentException("lease reads need a group configured with ReadMode.LEASE,"
                    + " so that followers honour the leader's lease");
        }
        if (role == Role.LEADER) {
            handleReadIndex(id, requestId, lease);
            return true;
        }
        if (lead == null) {
            return false;
        }
        send(new ReadIndex(id, lead, term, requestId, lease));
        return true;
    }

    /**
     * Asks the leader to hand leadership to {@code target}: proposals are refused while the
     * transfer runs; once {@code target}'s log matches, it is told to campaign at once. The
     * transfer is abandoned after an election timeout.
     *
     * @param target a voter other than this node
     * @return accepted when the transfer started, else why not
     */
    public ProposeResult transferLeadership(NodeId target) {
        if (role != Role.LEADER) {
            return new ProposeResult.NotLeader(Optional.ofNullable(lead));
        }
        if (target.equals(id)) {
            return new ProposeResult.Rejected("already the leader");
        }
        if (!membership.voters().contains(target)) {
            return new ProposeResult.Rejected(target + " is not a voter");
        }
        leadTransferee = target;
        electionElapsed = 0;
        Progress pr = progress.get(target);
        if (pr.match == log.lastIndex()) {
            send(new TimeoutNow(id, target, term));
        } else {
            sendAppend(target, true);
        }
        return new ProposeResult.Accepted(log.lastIndex(), term);
    }

    /**
     * Records that the application has saved a snapshot of its state at {@code index} (which
     * must be the applied index) and drops the log up to it. The snapshot is sent to followers
     * that need entries it replaced. Save and sync the snapshot before calling this.
     *
     * @param index the applied index the snapshot reflects
     * @param data  the application's serialized state, not copied
     * @throws IllegalArgumentException when {@code index} is not the applied index
     */
    public void compact(long index, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (index != log.applied) {
            throw new IllegalArgumentException("snapshot at " + index + " but applied is " + log.applied);
        }
        if (index <= log.snapshotIndex()) {
            return;
        }
        log.compact(index, data, membership);
    }

    /**
     * Handles a message from a peer. Messages for another node, from an unknown term's past,
     * or duplicated are tolerated: stale ones are ignored or answered so the sender catches up.
     *
     * @param message a message addressed to this node
     * @throws IllegalArgumentException when it is addressed to another node
     */
    public void step(RaftMessage message) {
        Objects.requireNonNull(message, "message");
        if (!message.to().equals(id)) {
            throw new IllegalArgumentException("message for " + message.to() + " given to " + id);
        }
        if (message.term() > term) {
            if (message instanceof PreVote || message instanceof RequestVote) {
                boolean force = message instanceof RequestVote rv && rv.transfer();
                // A node that just started cannot know whether it acknowledged a lease before it
                // crashed, so with lease reads it also waits out one election timeout after start.
                boolean inLease = config.checkQuorum() && ((lead != null && electionElapsed < config.electionTicks())
                        || (config.readMode() == RaftConfig.ReadMode.LEASE && ticks < config.electionTicks()));
                if (!force && inLease) {
                    return;
                }
            }
            switch (message) {
                case PreVote pv -> {
                    // never raise the term for a pre-vote
                }
                case PreVoteResponse r when !r.reject() -> {
                    // a granted pre-vote carries the term we would campaign in
                }
                case Append a -> becomeFollower(a.term(), a.from());
                case Heartbeat h -> becomeFollower(h.term(), h.from());
                case InstallSnapshot s -> becomeFollower(s.term(), s.from());
                default -> becomeFollower(message.term(), null);
            }
        } else if (message.term() < term) {
            if ((config.checkQuorum() || config.preVote()) && (message instanceof Append || message instanceof Heartbeat)) {
                // A stale leader, or our term rose in a partition: tell the sender our term.
                send(new AppendResponse(id, message.from(), term, false, 0, 0, 0));
            } else if (message instanceof PreVote) {
                send(new PreVoteResponse(id, message.from(), term, true));
            }
            return;
        }

        switch (message) {
            case PreVote pv -> handleVoteRequest(pv.from(), pv.term(), pv.lastIndex(), pv.lastTerm(), true);
            case RequestVote rv -> handleVoteRequest(rv.from(), rv.term(), rv.lastIndex(), rv.lastTerm(), false);
            case PreVoteResponse r -> {
                if (role == Role.PRE_CANDIDATE) {
                    handleVoteResponse(r.from(), !r.reject());
                }
            }
            case VoteResponse r -> {
                if (role == Role.CANDIDATE) {
                    handleVoteResponse(r.from(), !r.reject());
                }
            }
            case Append a -> {
                if (role != Role.LEADER) {
                    becomeFollowerOf(a.from());
                    handleAppend(a);
                }
            }
            case Heartbeat h -> {
                if (role != Role.LEADER) {
                    becomeFollowerOf(h.from());
                    log.commitTo(Math.min(h.commit(), log.lastIndex()));
                    send(new HeartbeatResponse(id, h.from(), term, h.round(), h.sentTick()));
                }
            }
            case InstallSnapshot s -> {
                if (role != Role.LEADER) {
                    becomeFollowerOf(s.from());
                    handleSnapshotChunk(s);
                }
            }
            case AppendResponse r -> {
                if (role == Role.LEADER) {
                    handleAppendResponse(r);
                }
            }
            case HeartbeatResponse r -> {
                if (role == Role.LEADER) {
                    handleHeartbeatResponse(r);
                }
            }
            case SnapshotResponse r -> {
                if (role == Role.LEADER) {
                    handleSnapshotResponse(r);
                }
            }
            case TimeoutNow t -> {
                if (role == Role.FOLLOWER && promotable()) {
                    startCampaign(CampaignKind.TRANSFER);
                }
            }
            case ReadIndex r -> {
                if (role == Role.LEADER) {
                    handleReadIndex(r.from(), r.requestId(), r.lease());
                }
            }
            case ReadIndexResponse r -> {
                if (role == Role.FOLLOWER) {
                    readStates.add(new ReadState(r.index(), r.requestId()));
                }
            }
        }
    }

    // ---------------------------------------------------------------- Ready

    /**
     * Whether {@link #ready()} has anything to hand out.
     *
     * @return true when there is something to persist, send or apply, and no Ready is outstanding
     */
    public boolean hasReady() {
        if (outstanding != null) {
            return false;
        }
        return appendsPending || !outbox.isEmpty() || !readStates.isEmpty() || log.unstableSnapshot() != null
                || log.stable < log.lastIndex() || !hardState().equals(prevHardState) || log.hasNextCommitted();
    }

    /**
     * Takes everything the driver must persist, send and apply. Call {@link #advance(Ready)}
     * with it before the next call.
     *
     * @return what to persist, send and apply, in that order
     * @throws IllegalStateException when the previous Ready has not been advanced
     */
    public Ready ready() {
        if (outstanding != null) {
            throw new IllegalStateException("advance the previous Ready first");
        }
        if (appendsPending) {
            appendsPending = false;
            broadcastAppend();
        }
        HardState hs = hardState();
        Snapshot snapshot = log.unstableSnapshot();
        List<Entry> committed = log.nextCommitted();
        List<RaftMessage> eager = new ArrayList<>();
        List<RaftMessage> after = new ArrayList<>();
        boolean termDurable = prevHardState != null && prevHardState.term() == hs.term()
                && Objects.equals(prevHardState.vote(), hs.vote());
        for (RaftMessage m : outbox) {
            boolean replication = m instanceof Append || m instanceof Heartbeat || m instanceof InstallSnapshot;
            (role == Role.LEADER && termDurable && replication ? eager : after).add(m);
        }
        Ready ready = new Ready(hs.equals(prevHardState) ? Optional.empty() : Optional.of(hs),
                Optional.ofNullable(snapshot), log.unstableEntries(), eager, after, committed, readStates, role, term);
        outbox.clear();
        readStates.clear();
        outstanding = ready;
        return ready;
    }

    /**
     * Acknowledges that {@code ready} was persisted, sent and applied. Membership changes among
     * its committed entries take effect now.
     *
     * @param ready the Ready returned by the last {@link #ready()}
     * @throws IllegalStateException when it is not the outstanding Ready
     */
    public void advance(Ready ready) {
        if (ready != outstanding) {
            throw new IllegalStateException("advance of a Ready that is not the outstanding one");
        }
        outstanding = null;
        ready.hardState().ifPresent(hs -> prevHardState = hs);
        ready.snapshot().ifPresent(s -> {
            log.snapshotPersisted(s);
            log.applied = Math.max(log.applied, s.metadata().index());
        });
        if (!ready.entries().isEmpty()) {
            Entry last = ready.entries().getLast();
            log.stableTo(last.index(), last.term());
        } else if (ready.snapshot().isPresent()) {
            log.stableTo(ready.snapshot().get().metadata().index(), ready.snapshot().get().metadata().term());
        }
        for (Entry e : ready.committedEntries()) {
            log.applied = Math.max(log.applied, e.index());
            if (e.payload() instanceof Payload.Change change) {
                applyConfChange(change.change());
            }
        }
        if (role == Role.LEADER && maybeCommit()) {
            broadcastAppend();
        }
    }

    /**
     * The node's volatile state, for tests and status pages.
     *
     * @return a snapshot of it
     */
    public Status status() {
        return new Status(id, role, term, Optional.ofNullable(lead), log.committed, log.applied, log.firstIndex(),
                log.lastIndex(), membership, Optional.ofNullable(leadTransferee));
    }

    /**
     * This node's id.
     *
     * @return the id from its configuration
     */
    public NodeId id() {
        return id;
    }

    /**
     * The entry at {@code index} in this node's log, if it is still there (not compacted, not
     * beyond the end). For checkers and tests.
     *
     * @param index the log index
     * @return the entry, or empty when compacted or beyond the last index
     */
    public Optional<Entry> entry(long index) {
        if (index < log.firstIndex() || index > log.lastIndex()) {
            return Optional.empty();
        }
        return Optional.of(log.entry(index));
    }

    // ---------------------------------------------------------------- roles

    private enum CampaignKind { PRE_VOTE, ELECTION, TRANSFER }

    private boolean promotable() {
        return membership.voters().contains(id) && log.unstableSnapshot() == null && !hasUnappliedConfChanges();
    }

    /**
     * Whether this node has never had a configuration: it joined empty ({@link #join}) and has
     * not yet installed a snapshot carrying the group's membership.
     */
    private boolean unconfigured() {
        return membership.all().isEmpty() && log.lastIndex() == 0;
    }

    private boolean hasUnappliedConfChanges() {
        long from = Math.max(log.applied, log.snapshotIndex()) + 1;
        for (long i = from; i <= log.committed; i++) {
            if (log.entry(i).payload() instanceof Payload.Change) {
                return true;
            }
        }
        return false;
    }

    private void reset(long newTerm) {
        if (newTerm != term) {
            term = newTerm;
            vote = null;
        }
        lead = null;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
        votes.clear();
        progress.clear();
        leadTransferee = null;
        pendingReads.clear();
        readsAwaitingCommit.clear();
        appendsPending = false;
    }

    private void becomeFollower(long newTerm, NodeId leader) {
        reset(newTerm);
        role = Role.FOLLOWER;
        lead = leader;
    }

    private void becomeFollowerOf(NodeId leader) {
        if (role != Role.FOLLOWER) {
            becomeFollower(term, leader);
        }
        lead = leader;
        electionElapsed = 0;
    }

    private void startCampaign(CampaignKind kind) {
        long voteTerm;
        if (kind == CampaignKind.PRE_VOTE) {
            reset(term);
            role = Role.PRE_CANDIDATE;
            voteTerm = term + 1;
        } else {
            reset(term + 1);
            role = Role.CANDIDATE;
            vote = id;
            voteTerm = term;
        }
        votes.put(id, true);
        if (tally() == VoteResult.WON) {
            if (kind == CampaignKind.PRE_VOTE) {
                startCampaign(CampaignKind.ELECTION);
            } else {
                becomeLeader();
            }
            return;
        }
        for (NodeId voter : membership.voters()) {
            if (voter.equals(id)) {
                continue;
            }
            if (kind == CampaignKind.PRE_VOTE) {
                send(new PreVote(id, voter, voteTerm, log.lastIndex(), log.lastTerm()));
            } else {
                send(new RequestVote(id, voter, voteTerm, log.lastIndex(), log.lastTerm(), kind == CampaignKind.TRANSFER));
            }
        }
    }

    private void becomeLeader() {
        reset(term);
        role = Role.LEADER;
        lead = id;
        for (NodeId peer : membership.all()) {
            if (!peer.equals(id)) {
                Progress pr = new Progress(log.lastIndex() + 1, config.maxInflightAppends());
                pr.recentActive = true;
                progress.put(peer, pr);
            }
        }
        // The barrier: no membership change until this term's first entry is applied.
        pendingConfIndex = log.lastIndex() + 1;
        log.append(new Entry(log.lastIndex() + 1, term, new Payload.Empty()));
        broadcastAppend();
    }

    private enum VoteResult { WON, LOST, PENDING }

    private VoteResult tally() {
        int granted = 0;
        int rejected = 0;
        for (NodeId voter : membership.voters()) {
            Boolean v = votes.get(voter);
            if (v == null) {
                continue;
            }
            if (v) {
                granted++;
            } else {
                rejected++;
            }
        }
        int quorum = membership.quorum();
        if (granted >= quorum) {
            return VoteResult.WON;
        }
        if (rejected > membership.voters().size() - quorum) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    private void handleVoteRequest(NodeId candidate, long voteTerm, long lastIndex, long lastTerm, boolean pre) {
        boolean canVote = candidate.equals(vote) || (vote == null && lead == null) || (pre && voteTerm > term);
        if (canVote && log.isUpToDate(lastIndex, lastTerm)) {
            if (pre) {
                send(new PreVoteResponse(id, candidate, voteTerm, false));
            } else {
                electionElapsed = 0;
                vote = candidate;
                send(new VoteResponse(id, candidate, voteTerm, false));
            }
        } else if (pre) {
            send(new PreVoteResponse(id, candidate, term, true));
        } else {
            send(new VoteResponse(id, candidate, term, true));
        }
    }

    private void handleVoteResponse(NodeId voter, boolean granted) {
        votes.putIfAbsent(voter, granted);
        switch (tally()) {
            case WON -> {
                if (role == Role.PRE_CANDIDATE) {
                    startCampaign(CampaignKind.ELECTION);
                } else {
                    becomeLeader();
                }
            }
            case LOST -> becomeFollower(term, null);
            case PENDING -> {
            }
        }
    }

    // ---------------------------------------------------------------- follower

    private void handleAppend(Append a) {
        if (unconfigured()) {
            // A joining node must first learn the configuration the log starts from, which the
            // founders hold in their index-0 snapshot, not in any entry: ask for the snapshot.
            send(new AppendResponse(id, a.from(), term, true, a.prevIndex(), 0, 0));
            return;
        }
        if (a.prevIndex() < log.committed) {
            send(new AppendResponse(id, a.from(), term, false, log.committed, 0, 0));
            return;
        }
        long lastNew = log.maybeAppend(a.prevIndex(), a.prevTerm(), a.commit(), a.entries());
        if (lastNew >= 0) {
            send(new AppendResponse(id, a.from(), term, false, lastNew, 0, 0));
        } else {
            long hintIndex = log.findConflictByTerm(Math.min(a.prevIndex(), log.lastIndex()), a.prevTerm());
            long hintTerm = Math.max(0, log.term(hintIndex));
            send(new AppendResponse(id, a.from(), term, true, a.prevIndex(), hintIndex, hintTerm));
        }
    }

    private void handleSnapshotChunk(InstallSnapshot s) {
        Snapshot.Metadata meta = s.metadata();
        if (meta.index() <= log.committed && !unconfigured()) {
            assembly = null;
            send(new SnapshotResponse(id, s.from(), term, meta.index(), 0, true));
            return;
        }
        if (s.offset() == 0) {
            assembly = new SnapshotAssembly(s.from(), meta);
        } else if (assembly == null || !assembly.metadata.equals(meta) || !assembly.leader.equals(s.from())
                || assembly.data.size() != s.offset()) {
            long expected = assembly != null && assembly.metadata.equals(meta) ? assembly.data.size() : 0;
            send(new SnapshotResponse(id, s.from(), term, meta.index(), expected, false));
            return;
        }
        assembly.data.write(s.chunk(), 0, s.chunk().length);
        if (!s.done()) {
            send(new SnapshotResponse(id, s.from(), term, meta.index(), assembly.data.size(), false));
            return;
        }
        Snapshot snapshot = new Snapshot(meta, assembly.data.toByteArray());
        assembly = null;
        if (log.matchTerm(meta.index(), meta.term()) && !unconfigured()) {
            log.commitTo(meta.index());
        } else {
            log.restore(snapshot);
            membership = meta.membership();
        }
        send(new SnapshotResponse(id, s.from(), term, meta.index(), 0, true));
    }

    // ---------------------------------------------------------------- leader

    private void handleAppendResponse(AppendResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        if (r.reject()) {
            long hint = r.hintIndex();
            if (r.hintTerm() > 0) {
                hint = log.findConflictByTerm(r.hintIndex(), r.hintTerm());
            }
            if (pr.maybeDecrTo(r.index(), hint)) {
                if (pr.state == Progress.State.REPLICATE) {
                    pr.becomeProbe();
                }
                if (r.index() <= log.snapshotIndex() && pr.next - 1 <= log.snapshotIndex()) {
                    // It lacks even what our snapshot covers (a joining node lacks the founding
                    // configuration at index 0): only the snapshot can bring it in.
                    pr.becomeSnapshot(log.snapshotIndex());
                    sendSnapshotChunk(r.from(), pr);
                    return;
                }
                sendAppend(r.from(), true);
            }
            return;
        }
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(r.index())) {
            return;
        }
        switch (pr.state) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match >= pr.pendingSnapshot) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.freeTo(r.index());
        }
        if (maybeCommit()) {
            broadcastAppend();
        } else if (wasPaused) {
            sendAppend(r.from(), true);
        }
        while (sendAppend(r.from(), false)) {
            // pipeline until the window is full or the follower has everything
        }
        if (r.from().equals(leadTransferee) && pr.match == log.lastIndex()) {
            send(new TimeoutNow(id, r.from(), term));
        }
    }

    private void handleHeartbeatResponse(HeartbeatResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.probeSent = false;
        pr.ackedRound = Math.max(pr.ackedRound, r.round());
        pr.ackedTick = Math.max(pr.ackedTick, r.sentTick());
        if (pr.state == Progress.State.REPLICATE && pr.inflightFull()) {
            pr.freeFirst();
        }
        if (pr.state == Progress.State.SNAPSHOT) {
            sendSnapshotChunk(r.from(), pr);
        } else if (pr.match < log.lastIndex()
                && (pr.state != Progress.State.REPLICATE || ticks - pr.lastAppendTick >= config.heartbeatTicks())) {
            // Sent even when empty: if the follower lost our appends, its rejection restarts probing.
            // Not while appends sent within the last heartbeat interval may still be on their way:
            // an empty append behind them would only occupy the connection the next batch needs.
            sendAppend(r.from(), true);
        }
        releaseReads();
    }

    private void handleSnapshotResponse(SnapshotResponse r) {
        Progress pr = progress.get(r.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        if (pr.state != Progress.State.SNAPSHOT || r.index() != pr.pendingSnapshot) {
            return;
        }
        if (r.done()) {
            pr.match = Math.max(pr.match, r.index());
            pr.becomeProbe();
            sendAppend(r.from(), true);
            return;
        }
        if (r.nextOffset() != pr.snapshotOffset) {
            pr.snapshotOffset = r.nextOffset();
            sendSnapshotChunk(r.from(), pr);
        }
    }

    private void broadcastAppend() {
        for (NodeId peer : progress.keySet()) {
            sendAppend(peer, true);
        }
    }

    /** Sends entries (or an empty append carrying the commit index) unless the follower is paused. */
    private boolean sendAppend(NodeId to, boolean sendIfEmpty) {
        Progress pr = progress.get(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        if (prevTerm < 0) {
            pr.becomeSnapshot(log.snapshotIndex());
            sendSnapshotChunk(to, pr);
            return false;
        }
        List<Entry> entries = pr.next > log.lastIndex() ? List.of()
                : log.slice(pr.next, log.lastIndex(), config.maxAppendBytes());
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        send(new Append(id, to, term, prevIndex, prevTerm, entries, log.committed));
        pr.lastAppendTick = ticks;
        if (!entries.isEmpty()) {
            pr.sentEntries(entries.getLast().index());
        } else if (pr.state == Progress.State.PROBE) {
            pr.probeSent = true;
        }
        return !entries.isEmpty();
    }

    private void sendSnapshotChunk(NodeId to, Progress pr) {
        Snapshot snapshot = log.snapshot();
        if (snapshot.metadata().index() != pr.pendingSnapshot) {
            // A newer snapshot replaced the one in flight: restart with it.
            pr.becomeSnapshot(snapshot.metadata().index());
        }
        byte[] data = snapshot.data();
        int from = (int) Math.min(pr.snapshotOffset, data.length);
        int to2 = Math.min(data.length, from + config.snapshotChunkBytes());
        send(new InstallSnapshot(id, to, term, snapshot.metadata(), from, Arrays.copyOfRange(data, from, to2),
                to2 == data.length));
    }

    private void broadcastHeartbeat() {
        heartbeatRound++;
        for (Map.Entry<NodeId, Progress> e : progress.entrySet()) {
            long commit = Math.min(e.getValue().match, log.committed);
            send(new Heartbeat(id, e.getKey(), term, commit, heartbeatRound, ticks));
        }
        releaseReads();
    }

    /** Commits the largest index replicated on a quorum, if it is of this term (Figure 8). */
    private boolean maybeCommit() {
        if (membership.voters().isEmpty()) {
            return false;
        }
        long[] matches = new long[membership.voters().size()];
        int i = 0;
        for (NodeId voter : membership.voters()) {
            matches[i++] = voter.equals(id) ? log.stable : (progress.containsKey(voter) ? progress.get(voter).match : 0);
        }
        Arrays.sort(matches);
        long quorumIndex = matches[matches.length - membership.quorum()];
        if (quorumIndex > log.committed && log.term(quorumIndex) == term) {
            log.commitTo(quorumIndex);
            if (!readsAwaitingCommit.isEmpty()) {
                List<PendingRead> waiting = new ArrayList<>(readsAwaitingCommit);
                readsAwaitingCommit.clear();
                waiting.forEach(read -> handleReadIndex(read.from(), read.requestId(), read.lease()));
            }
            return true;
        }
        return false;
    }

    private boolean quorumActive() {
        int active = 0;
        for (NodeId voter : membership.voters()) {
            if (voter.equals(id) || (progress.containsKey(voter) && progress.get(voter).recentActive)) {
                active++;
            }
        }
        return active >= membership.quorum();
    }

    private void handleReadIndex(NodeId from, long requestId, boolean lease) {
        if (log.term(log.committed) != term) {
            // Until an entry of this term commits, the leader's commit index may lag the group's.
            readsAwaitingCommit.add(new PendingRead(0, 0, from, requestId, lease));
            return;
        }
        if (membership.voters().size() == 1 && membership.voters().contains(id)) {
            answerRead(new PendingRead(log.committed, 0, from, requestId, lease));
            return;
        }
        if (lease && config.readMode() == RaftConfig.ReadMode.LEASE && leaseValid()) {
            answerRead(new PendingRead(log.committed, 0, from, requestId, true));
            return;
        }
        pendingReads.addLast(new PendingRead(log.committed, heartbeatRound + 1, from, requestId, lease));
        broadcastHeartbeat();
    }

    private boolean leaseValid() {
        long[] acked = new long[membership.voters().size()];
        int i = 0;
        for (NodeId voter : membership.voters()) {
            Progress pr = progress.get(voter);
            acked[i++] = voter.equals(id) ? ticks : (pr == null ? Long.MIN_VALUE : pr.ackedTick);
        }
        Arrays.sort(acked);
        long quorumTick = acked[acked.length - membership.quorum()];
        return quorumTick != Long.MIN_VALUE
                && ticks < quorumTick + config.electionTicks() - config.maxClockDriftTicks();
    }

    private void releaseReads() {
        if (pendingReads.isEmpty()) {
            return;
        }
        long[] rounds = new long[membership.voters().size()];
        int i = 0;
        for (NodeId voter : membership.voters()) {
            Progress pr = progress.get(voter);
            rounds[i++] = voter.equals(id) ? heartbeatRound : (pr == null ? 0 : pr.ackedRound);
        }
        Arrays.sort(rounds);
        long confirmed = rounds[rounds.length - membership.quorum()];
        while (!pendingReads.isEmpty() && pendingReads.peekFirst().round() <= confirmed) {
            answerRead(pendingReads.pollFirst());
        }
    }

    private void answerRead(PendingRead read) {
        if (read.from().equals(id)) {
            readStates.add(new ReadState(read.index(), read.requestId()));
        } else {
            send(new ReadIndexResponse(id, read.from(), term, read.index(), read.requestId()));
        }
    }

    private void applyConfChange(ConfChange change) {
        membership = membership.apply(change);
        if (role != Role.LEADER) {
            return;
        }
        if (!membership.voters().contains(id)) {
            // Removed or demoted: let the remaining voters elect a leader among themselves.
            becomeFollower(term, null);
            return;
        }
        for (NodeId node : membership.all()) {
            if (!node.equals(id) && !progress.containsKey(node)) {
                Progress pr = new Progress(log.lastIndex() + 1, config.maxInflightAppends());
                pr.recentActive = true;
                progress.put(node, pr);
                sendAppend(node, true);
            }
        }
        progress.keySet().removeIf(node -> !membership.contains(node));
        if (leadTransferee != null && !membership.voters().contains(leadTransferee)) {
            leadTransferee = null;
        }
        if (maybeCommit()) {
            broadcastAppend();
        }
        releaseReads();
    }

    // ---------------------------------------------------------------- plumbing

    private HardState hardState() {
        return new HardState(term, vote, log.committed);
    }

    private void send(RaftMessage message) {
        outbox.add(message);
    }

    @Override
    public String toString() {
        return "RaftNode[" + id + " " + role + " term=" + term + " last=" + log.lastIndex() + " commit=" + log.committed + "]";
    }
}
