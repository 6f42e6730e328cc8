package io.iridium.data.replication;

import io.iridium.data.CorruptDataException;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.clock.HybridLogicalClock;
import io.iridium.data.crdt.Crdt;
import io.iridium.data.crdt.GCounter;
import io.iridium.data.crdt.HlcStamped;
import io.iridium.data.crdt.PnCounter;
import io.iridium.IridiumException;
import io.iridium.data.replication.ReplicaMessage.Deltas;
import io.iridium.data.replication.ReplicaMessage.Departed;
import io.iridium.data.replication.ReplicaMessage.Digest;
import io.iridium.data.replication.ReplicaMessage.DigestReply;
import io.iridium.data.replication.ReplicaMessage.Handoff;
import io.iridium.data.replication.ReplicaMessage.HandoffAck;
import io.iridium.data.replication.ReplicaMessage.Push;
import io.iridium.data.replication.ReplicaMessage.Read;
import io.iridium.data.replication.ReplicaMessage.ReadReply;
import io.iridium.data.replication.ReplicaMessage.Write;
import io.iridium.data.replication.ReplicaMessage.WriteAck;
import io.iridium.env.Environment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * One replica of a replica set, as a sans-I/O state machine: key → CRDT state, the batch of
 * local deltas not yet gossiped, the writes and reads waiting for other replicas, and nothing
 * else. No threads, sockets or clocks: monotonic time (deadlines, grace periods) and randomness
 * come from an {@link Environment}, wall-clock time (only for the hybrid logical clock) from the
 * builder's {@link Builder#wallClock},
 * messages leave through a {@link ReplicaTransport}, replies are returned by
 * {@link #receive}, and the driver calls {@link #tick()} periodically. The runtime adapter
 * ({@link Replicas}) and the simulator drive the same class.
 *
 * <h2>Algorithm</h2>
 * <ul>
 *   <li><b>Local update</b> ({@link #update}): the mutator returns a delta; it merges into the
 *       key's state at once and into the key's pending delta. At the next tick every pending
 *       delta leaves in one {@link Deltas} broadcast (delta-state replication, Almeida et al.).
 *   <li><b>Anti-entropy</b>: every {@code antiEntropyEveryTicks} ticks a {@link Digest} (a 64-bit
 *       FNV-1a hash of each key's canonical encoding) goes to one replica chosen at random; it
 *       answers with its states of the keys that differ or that the digest lacks, and names the
 *       keys it wants; the initiator merges and pushes those. Lost deltas, partitions, crashes
 *       and new replicas all heal this way: each round makes the two replicas equal on every
 *       key, and random pairs spread that to everyone (epidemic, O(log n) rounds).
 *   <li><b>MAJORITY and ALL</b>: a write is also sent to every replica as a {@link Write}, which
 *       each acknowledges after merging (and persisting); a read asks every replica for its
 *       state and merges the answers. Both count this replica, resend to the silent ones every
 *       {@code retryEveryTicks} ticks, and fail with {@link ConsistencyNotReachedException}
 *       at their timeout.
 *   <li><b>The replica set MAJORITY and ALL count</b> is the set this replica has <em>known</em>,
 *       not the live view: every replica ever seen serving the set ({@link #setPeers} only adds
 *       to it; persisted with the data directory), plus this replica, minus those known to have
 *       left for good — through a graceful leave (announced with a {@link Departed} message and
 *       repeated in anti-entropy, or seen as a counter tombstone), a restart on the same data
 *       directory (the new incarnation declares its predecessor departed), or an operator's
 *       {@link #forgetReplica}. A crashed replica stays counted until one of those happens, so
 *       during a partition at most one side can confirm a MAJORITY. An explicit
 *       {@code expectedReplicas} is a floor. A {@linkplain Builder#temporary temporary} replica
 *       (a command-line client) does not count itself: it needs a majority of the others.
 * </ul>
 *
 * <h2>Counters when replicas come and go</h2>
 * A counter keeps one entry per replica identity, and every process incarnation is a new
 * identity, so entries of departed replicas are collapsed, in two steps that use
 * {@link GCounter#retire} and {@link GCounter#forget}:
 * <ol>
 *   <li><b>Hand-off on a graceful leave</b> ({@link #leave}). The leaving replica D stops
 *       accepting updates, then sends the full states of every counter that holds an entry of
 *       its own to one heir H (a {@link Handoff}). H merges them and retires D into itself — a
 *       local update of H's own entry, which spreads like any delta — persists, and acknowledges.
 *       D's entry is replaced everywhere by H's enlarged entry plus a small tombstone
 *       {@code D → (H, final count)}; the value never changes.
 *       <br><i>Why it is safe.</i> Precondition P1 of {@link GCounter} (H holds D's final entry
 *       and D never counts again) holds because D stopped updating before it built the hand-off,
 *       and D's own state holds the maximum of its own entry (only D writes it). Precondition P2
 *       (one heir per departed replica) holds because D asks one heir at a time and moves to
 *       another only after an explicit refusal, which an heir sends only when it changed nothing
 *       (it is leaving itself); a silent heir is retried until the timeout, never replaced. A
 *       lost acknowledgement is harmless: retiring twice into the same heir changes nothing.
 *       If no heir confirms in time, D's entry simply stays (correct, just not compacted).
 *   <li><b>Forgetting tombstones</b> after {@link ReplicaConfig#forgetRetiredAfterMillis} (one
 *       hour by default), counted from when this replica first saw each one. The tombstone is
 *       what stops an old copy of D's entry from being added again on top of H's entry, so
 *       forgetting it is safe only when no such copy can still arrive. Copies live in D (gone
 *       for good: a restart is a new identity), in messages in flight (seconds), and in replicas
 *       that have not yet merged the retirement: every replica in touch with the set merges it
 *       within a few anti-entropy rounds, and merging it deletes D's entry for good. What could
 *       go wrong is a replica cut off from the set (partitioned, or down with its data
 *       directory) for longer than the grace, coming back with D's entry: it would count D's
 *       increments a second time. The grace is chosen to be far longer than such an absence
 *       may last, and an operator who brings back a replica after a longer absence starts it
 *       with an empty data directory. {@code 0} never forgets (tombstones then cost about 40
 *       bytes per departed replica and counter).
 * </ol>
 * Replicas that crash without leaving keep their (small) entries: collapsing them without the
 * departed replica's cooperation would need every replica to agree on a single heir and on the
 * departed's final count — consensus, which this coordination-free layer does not have. Two
 * replicas on two sides of a partition could each pick themselves as heir and count the
 * entry twice, and a replica only partitioned away, not dead, would lose the increments it
 * makes after being declared gone.
 *
 * <p><b>Clocks.</b> Every state merged from another replica (or loaded from storage) that
 * carries hybrid-logical-clock stamps ({@link HlcStamped}, the last-writer-wins types) moves
 * this replica's clock past its latest stamp, so a local write made afterwards is ordered after
 * everything this replica has seen. A state stamped further ahead of this replica's wall clock
 * than {@link ReplicaConfig#maxClockSkewMillis} is dropped unmerged and counted
 * ({@link ReplicaStats#statesTooFarAhead}): merged, it would win every write made until real
 * time catches up. Anti-entropy offers it again, and it merges once within the limit.
 *
 * <p><b>Invariants.</b> Every state changes only by merges (joins in its lattice), so message
 * loss, duplication and reordering never corrupt it — with one deliberate exception, the local
 * compaction that forgets expired counter tombstones ({@link GCounter#forget}, see above); a
 * key's type is fixed
 * by its first use ({@link IllegalArgumentException} for a mismatch locally, a counted drop for
 * a mismatch from a peer). A write is acknowledged only after the acknowledger has merged it
 * and handed it to {@link ReplicaStorage#save}.
 *
 * <p><b>Threading.</b> Not thread-safe: one owner calls it at a time (the runtime adapter holds
 * a lock). Futures complete and change listeners run on the {@code completer} executor given
 * to the builder, never inside the caller's lock unless the completer runs them inline.
 */
public final class ReplicaCore {

    private final ReplicaId self;
    private final Environment environment;
    private final ReplicaTransport transport;
    private final ReplicaStorage storage;
    private final ReplicaConfig config;
    private final Executor completer;
    private final HybridLogicalClock clock;
    private final Map<String, ReplicatedType<?>> types;
    private final TreeMap<String, Entry<?>> entries = new TreeMap<>();
    private final TreeSet<String> pendingDeltas = new TreeSet<>();
    private final TreeSet<String> unsaved = new TreeSet<>();
    private final TreeSet<ReplicaId> peers = new TreeSet<>();
    private final Map<Long, PendingOperation> pending = new LinkedHashMap<>();
    private final Map<String, List<Consumer<Object>>> listeners = new HashMap<>();
    private final ReplicaStats stats = new ReplicaStats();
    private final Map<ReplicaId, Long> retiredSeenAt = new HashMap<>();
    private final TreeSet<ReplicaId> known = new TreeSet<>();
    private final Map<ReplicaId, Long> departed = new TreeMap<>();
    private final int expectedReplicas;
    private final boolean temporary;
    private final LongSupplier wallClock;
    private boolean knownReplicasUnsaved;
    private boolean closed;
    private long nextOperationId;
    private long ticks;
    private boolean leaving;
    private PendingHandoff handoff;
    private CompletableFuture<Boolean> left;

    private ReplicaCore(Builder builder) {
        this.self = builder.self;
        this.environment = builder.environment;
        this.transport = builder.transport;
        this.storage = builder.storage;
        this.config = builder.config;
        this.completer = builder.completer;
        this.types = Map.copyOf(builder.types);
        this.expectedReplicas = builder.expectedReplicas;
        this.temporary = builder.temporary;
        this.wallClock = builder.wallClock != null ? builder.wallClock : environment::nowMillis;
        this.clock = new HybridLogicalClock(wallClock, config.maxClockSkewMillis());
        // Operation ids start at a random point, so that a reply meant for an earlier incarnation
        // at the same address (same transport endpoint, new identity) cannot match one of ours.
        this.nextOperationId = environment.random().nextLong(1, Long.MAX_VALUE >>> 8);
        storage.loadKnownReplicas().ifPresent(saved -> {
            saved.known().forEach(replica -> {
                if (!replica.equals(self)) {
                    known.add(replica);
                }
            });
            saved.departed().forEach(this::markDeparted);
            // A restart on the same data directory: the former incarnation is gone for good, and
            // this one takes its place in the count.
            markDeparted(saved.self());
        });
        for (KeyState saved : storage.load()) {
            mergeRemote(saved, false);
        }
        unsaved.clear();
        if (!temporary) {
            knownReplicasUnsaved = true;
            saveKnownReplicas(); // records this incarnation as the owner of the data directory
        }
    }

    /** A builder for the replica {@code self}. */
    public static Builder builder(ReplicaId self, Environment environment, ReplicaTransport transport) {
        return new Builder(self, environment, transport);
    }

    /** This replica's identity. */
    public ReplicaId self() {
        return self;
    }

    /** The other replicas of the set, as last set. */
    public Set<ReplicaId> peers() {
        return Set.copyOf(peers);
    }

    /**
     * Replaces the live view of the other replicas of the set ({@code self}, and replicas known
     * to have departed, are ignored). Anti-entropy partners and gossip come from it; every
     * replica in it also joins the {@linkplain #knownReplicas known set} for good.
     */
    public void setPeers(Collection<ReplicaId> replicas) {
        peers.clear();
        for (ReplicaId replica : replicas) {
            if (!replica.equals(self) && !departed.containsKey(replica)) {
                peers.add(replica);
                if (known.add(replica)) {
                    knownReplicasUnsaved = true;
                }
            }
        }
    }

    /**
     * The other replicas MAJORITY and ALL count: every replica seen serving the set, minus those
     * known to have left it (see the class documentation).
     */
    public Set<ReplicaId> knownReplicas() {
        return Set.copyOf(known);
    }

    /** The replicas known to have left the set for good (forgotten again after the grace). */
    public Set<ReplicaId> departedReplicas() {
        return Set.copyOf(departed.keySet());
    }

    /**
     * An operator's removal of {@code replica} from the set (a replica that crashed for good
     * without leaving): it no longer counts toward MAJORITY and ALL here, and anti-entropy tells
     * the others. Its counter entries stay (see the class documentation).
     *
     * @throws IllegalArgumentException if {@code replica} is this replica
     */
    public void forgetReplica(ReplicaId replica) {
        Objects.requireNonNull(replica, "replica");
        if (replica.equals(self)) {
            throw new IllegalArgumentException("a replica cannot remove itself; call leave()");
        }
        markDeparted(replica);
    }

    /**
     * The size of the replica set that MAJORITY and ALL count: the known replicas plus this one
     * (not for a temporary replica), or the expected size given to the builder when larger.
     */
    public int replicaCount() {
        return Math.max(known.size() + selfVotes(), expectedReplicas);
    }

    /** 1 when this replica counts toward its own MAJORITY and ALL, 0 for a temporary one. */
    private int selfVotes() {
        return temporary ? 0 : 1;
    }

    private void markDeparted(ReplicaId replica) {
        if (replica.equals(self) || departed.containsKey(replica)) {
            return;
        }
        departed.put(replica, environment.nowMillis());
        known.remove(replica);
        peers.remove(replica);
        knownReplicasUnsaved = true;
    }

    private void saveKnownReplicas() {
        if (knownReplicasUnsaved && !temporary) {
            storage.saveKnownReplicas(new KnownReplicas(self, known, new TreeSet<>(departed.keySet())));
            knownReplicasUnsaved = false;
        }
    }

    /** Counters of what this replica did, for metrics and benchmarks. */
    public ReplicaStats stats() {
        return stats;
    }

    /** The keys this replica holds a state for. */
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    /**
     * The local state of {@code key}, or the type's empty value when nobody wrote it yet.
     *
     * @throws IllegalArgumentException if the key holds a value of another type
     */
    public <T extends Crdt<T>> T value(String key, ReplicatedType<T> type) {
        Entry<?> entry = entries.get(key);
        if (entry == null) {
            requireRegistered(type);
            return type.empty();
        }
        return checkedType(entry, key, type).state;
    }

    /**
     * Applies a local update: {@code mutator} gets the key's current state and a
     * {@link WriteContext} and returns a delta made by the type's own mutators (for example
     * {@code (counter, ctx) -> counter.add(ctx.replica(), 5)}). The delta applies here at once and
     * spreads at the next tick; at MAJORITY or ALL it is also sent to every replica, and the
     * future completes (with the local state) once enough have acknowledged it, or fails with
     * {@link ConsistencyNotReachedException} after {@code timeoutMillis}.
     *
     * @throws IllegalArgumentException if the key holds a value of another type
     */
    public <T extends Crdt<T>> CompletableFuture<T> update(String key, ReplicatedType<T> type,
            BiFunction<T, WriteContext, T> mutator, Consistency consistency, long timeoutMillis) {
        Objects.requireNonNull(mutator, "mutator");
        Objects.requireNonNull(consistency, "consistency");
        if (leaving) {
            throw new IllegalStateException("replica " + self + " is leaving and accepts no more updates");
        }
        Entry<T> entry = entry(key, type);
        T delta = Objects.requireNonNull(mutator.apply(entry.state, new WriteContext(self, clock)),
                "the mutator returned null");
        applyLocal(key, entry, delta);
        stats.localUpdates++;
        int required = consistency.required(replicaCount());
        if (consistency == Consistency.LOCAL || required <= selfVotes()) {
            if (consistency != Consistency.LOCAL) {
                saveNow(key);
            }
            return CompletableFuture.completedFuture(entry.state);
        }
        saveNow(key);
        CompletableFuture<T> future = new CompletableFuture<>();
        long id = nextOperationId++;
        KeyState encodedDelta = new KeyState(key, type.name(), type.codec().encode(delta));
        PendingWrite<T> write = new PendingWrite<>(id, key, type, consistency, required,
                environment.nowMillis() + timeoutMillis, new TreeSet<>(known), encodedDelta, future);
        pending.put(id, write);
        write.sendToSilent(this);
        return future;
    }

    /**
     * Reads {@code key}: at LOCAL the local state at once; at MAJORITY or ALL the join of the
     * states of enough replicas (merged into the local state too), or a
     * {@link ConsistencyNotReachedException} after {@code timeoutMillis}.
     *
     * @throws IllegalArgumentException if the key holds a value of another type
     */
    public <T extends Crdt<T>> CompletableFuture<T> read(String key, ReplicatedType<T> type,
            Consistency consistency, long timeoutMillis) {
        T local = value(key, type);
        int required = consistency.required(replicaCount());
        if (consistency == Consistency.LOCAL || required <= selfVotes()) {
            return CompletableFuture.completedFuture(local);
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        long id = nextOperationId++;
        PendingRead<T> read = new PendingRead<>(id, key, type, consistency, required,
                environment.nowMillis() + timeoutMillis, new TreeSet<>(known), future);
        pending.put(id, read);
        read.sendToSilent(this);
        return future;
    }

    /**
     * Starts leaving the replica set for good: from now on {@link #update} throws, and every
     * counter entry of this replica is handed to an heir (the lowest-ordered peer that does not
     * refuse), which retires it into its own entry — see the class documentation. Call it
     * before the replica stops; keep ticking and receiving until the future completes.
     *
     * @return completes (on the completer) with {@code true} once an heir has retired every
     *         counter entry of this replica, or at once when there is none; with {@code false}
     *         when there is no peer, every peer refused, or no heir confirmed within
     *         {@code timeoutMillis} — the entries then stay, which is correct, only not compact
     */
    public CompletableFuture<Boolean> leave(long timeoutMillis) {
        if (leaving) {
            return left; // one hand-off per replica: a second one could pick a second heir (P2)
        }
        leaving = true;
        List<KeyState> states = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (holdsEntryOf(entry.state, self)) {
                states.add(entry.encoded(key));
            }
        });
        if (states.isEmpty() || peers.isEmpty()) {
            left = CompletableFuture.completedFuture(states.isEmpty());
            announceDeparture();
            return left;
        }
        handoff = new PendingHandoff(nextOperationId++, states, new ArrayList<>(peers),
                environment.nowMillis() + timeoutMillis);
        left = handoff.future;
        handoff.send(this);
        return left;
    }

    /**
     * Tells the core that {@code message}, sent to {@code to}, was certainly <em>not</em>
     * processed there (the driver knows it was never delivered, or that the receiver refused it
     * before running it); call it once per such send. A hand-off moves on to its next candidate
     * heir only once <em>every</em> hand-off sent to the current heir was reported undelivered:
     * one earlier send that may have been processed (a timeout, never reported) keeps it on that
     * heir, since a hand-off must not reach two heirs. Anything else is simply retried as usual.
     * Never call it for a message that may have been processed.
     */
    public void undelivered(ReplicaId to, ReplicaMessage message) {
        if (message instanceof Handoff offered && handoff != null && handoff.id == offered.id()
                && handoff.heir().equals(to) && handoff.certainlyUndelivered()) {
            if (handoff.nextHeir()) {
                handoff.send(this);
            } else {
                finishHandoff(false);
            }
        }
    }

    /**
     * Fails every pending MAJORITY/ALL write and read, and the hand-off if one is under way, with
     * {@link IridiumException.Closed}, and drops every message from now on: the driver is
     * stopping. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PendingOperation operation : List.copyOf(pending.values())) {
            pending.remove(operation.id);
            operation.fail(this, new IridiumException.Closed("replica " + self + " closed before "
                    + operation.what() + " reached " + operation.consistency));
        }
        if (handoff != null) {
            finishHandoff(false);
        }
    }

    /**
     * Calls {@code listener} (on the completer) with the new state of {@code key} after every
     * change, local or from another replica. Closing the returned handle removes it.
     */
    public <T extends Crdt<T>> AutoCloseable onChange(String key, ReplicatedType<T> type, Consumer<T> listener) {
        Objects.requireNonNull(listener, "listener");
        Entry<?> entry = entries.get(key);
        if (entry != null) {
            checkedType(entry, key, type);
        }
        @SuppressWarnings("unchecked")
        Consumer<Object> untyped = value -> listener.accept((T) value);
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(untyped);
        return () -> {
            List<Consumer<Object>> list = listeners.get(key);
            if (list != null) {
                list.remove(untyped);
            }
        };
    }

    /**
     * Advances time by one tick: gossips the pending deltas, saves what changed, starts an
     * anti-entropy round when one is due, resends unanswered writes and reads and fails those
     * past their timeout.
     */
    public void tick() {
        if (closed) {
            return;
        }
        ticks++;
        // Before gossip, so no delta of a local update leaves this replica before its storage
        // has it. (Replies, pushes and hand-offs may carry states merged from others that are
        // not saved yet: those are other replicas' updates, which their writers hold.)
        saveUnsaved();
        saveKnownReplicas();
        flushDeltas();
        long now = environment.nowMillis();
        if (ticks % config.antiEntropyEveryTicks() == 0) {
            forgetRetired(now);
            forgetDeparted(now);
            startAntiEntropy();
        }
        boolean retry = ticks % config.retryEveryTicks() == 0;
        if (handoff != null) {
            if (now >= handoff.deadline) {
                finishHandoff(false);
            } else if (retry) {
                handoff.send(this);
            }
        }
        for (PendingOperation operation : List.copyOf(pending.values())) {
            if (now >= operation.deadline) {
                pending.remove(operation.id);
                operation.fail(this);
            } else if (retry) {
                operation.sendToSilent(this);
            }
        }
    }

    /**
     * Takes in a message from another replica and returns the reply to send back to its sender,
     * if any (a {@link DigestReply}, {@link WriteAck} or {@link ReadReply}).
     */
    public Optional<ReplicaMessage> receive(ReplicaMessage message) {
        return receive(null, message);
    }

    /**
     * Like {@link #receive(ReplicaMessage)}, from a driver that knows which replica sent the
     * message ({@code sender}; {@code null} when it does not): a hand-off whose
     * {@link Handoff#from} is not its sender is dropped, since it would retire a replica that
     * may still be counting.
     */
    public Optional<ReplicaMessage> receive(ReplicaId sender, ReplicaMessage message) {
        if (closed || message.from().equals(self)) {
            return Optional.empty();
        }
        stats.messagesReceived++;
        switch (message) {
            case Deltas deltas -> {
                deltas.states().forEach(state -> mergeRemote(state, true));
                return Optional.empty();
            }
            case Digest digest -> {
                return Optional.of(answerDigest(digest));
            }
            case DigestReply reply -> {
                reply.states().forEach(state -> mergeRemote(state, true));
                List<KeyState> wanted = new ArrayList<>();
                for (String key : reply.wanted()) {
                    Entry<?> entry = entries.get(key);
                    if (entry != null) {
                        wanted.add(entry.encoded(key));
                    }
                }
                if (!wanted.isEmpty()) {
                    stats.statesSent += wanted.size();
                    transport.send(reply.from(), new Push(self, wanted));
                }
                return Optional.empty();
            }
            case Push push -> {
                push.states().forEach(state -> mergeRemote(state, true));
                return Optional.empty();
            }
            case Write write -> {
                if (!mergeRemote(write.delta(), true)) {
                    return Optional.empty();
                }
                saveNow(write.delta().key());
                return Optional.of(new WriteAck(self, write.id()));
            }
            case WriteAck ack -> {
                if (pending.get(ack.id()) instanceof PendingWrite<?> write) {
                    write.answered(this, ack.from());
                }
                return Optional.empty();
            }
            case Read read -> {
                Entry<?> entry = entries.get(read.key());
                return Optional.of(new ReadReply(self, read.id(),
                        entry == null ? Optional.empty() : Optional.of(entry.encoded(read.key()))));
            }
            case ReadReply reply -> {
                if (pending.get(reply.id()) instanceof PendingRead<?> read) {
                    if (reply.state().isPresent() && !reply.state().get().key().equals(read.key)) {
                        stats.misdirectedReplies++; // neither counts nor merges into another key
                    } else if (reply.state().isEmpty() || mergeRemote(reply.state().get(), true)) {
                        read.answered(this, reply.from());
                    }
                }
                return Optional.empty();
            }
            case Handoff offered -> {
                if (sender != null && !sender.equals(offered.from())) {
                    stats.spoofedHandoffs++;
                    return Optional.empty();
                }
                return acceptHandoff(offered);
            }
            case Departed gone -> {
                gone.replicas().forEach(this::markDeparted);
                return Optional.empty();
            }
            case HandoffAck ack -> {
                if (handoff != null && handoff.id == ack.id() && handoff.heir().equals(ack.from())) {
                    if (ack.accepted()) {
                        retireSelfInto(handoff.heir(), handoff.states);
                        finishHandoff(true);
                    } else if (handoff.nextHeir()) {
                        handoff.send(this);
                    } else {
                        finishHandoff(false);
                    }
                }
                return Optional.empty();
            }
        }
    }

    /** The canonical encoding of every key's state, for convergence checks and snapshots. */
    public Map<String, KeyState> snapshot() {
        Map<String, KeyState> snapshot = new TreeMap<>();
        entries.forEach((key, entry) -> snapshot.put(key, entry.encoded(key)));
        return snapshot;
    }

    /** The digest anti-entropy sends: each key's 64-bit state hash. */
    public Map<String, Long> digest() {
        Map<String, Long> hashes = new TreeMap<>();
        entries.forEach((key, entry) -> hashes.put(key, entry.hash(key)));
        return hashes;
    }

    /** The number of writes and reads waiting for other replicas. */
    public int pendingOperations() {
        return pending.size();
    }

    /**
     * The number of per-replica records (live entries and tombstones, both halves of a
     * PN-counter) the counter under {@code key} carries, 0 for a key that is not a counter.
     */
    public int counterRecords(String key) {
        Entry<?> entry = entries.get(key);
        if (entry == null) {
            return 0;
        }
        return switch (entry.state) {
            case PnCounter counter -> records(counter.increments()) + records(counter.decrements());
            case GCounter counter -> records(counter);
            default -> 0;
        };
    }

    private static int records(GCounter counter) {
        return counter.entries().size() + counter.retired().size();
    }

    // ------------------------------------------------------------------------------------------
    // Leaving: hand-off of counter entries, and forgetting tombstones

    private static boolean holdsEntryOf(Object state, ReplicaId replica) {
        return switch (state) {
            case PnCounter counter -> holdsEntryOf(counter.increments(), replica)
                    || holdsEntryOf(counter.decrements(), replica);
            case GCounter counter -> counter.get(replica) > 0
                    || counter.retired().values().stream().anyMatch(r -> r.heir().equals(replica));
            default -> false;
        };
    }

    /**
     * The heir's side of a hand-off: merge the departed replica's states, retire it into this
     * replica's own entries, persist, acknowledge. A hand-off this replica already took (a
     * tombstone {@code from → self} exists: its acknowledgement was lost) is acknowledged again
     * at once, even while leaving — refusing would send the leaver to a second heir. Otherwise a
     * leaving replica refuses without touching anything (it could not pass the inherited entries
     * on: its own hand-off may be under way), and a hand-off from a replica known to have left
     * through another heir (or removed by an operator) gets no answer at all.
     */
    private Optional<ReplicaMessage> acceptHandoff(Handoff offered) {
        if (alreadyInherited(offered)) {
            return Optional.of(new HandoffAck(self, offered.id(), true));
        }
        if (departed.containsKey(offered.from())) {
            stats.handoffsIgnored++;
            return Optional.empty();
        }
        if (leaving) {
            stats.handoffsRefused++;
            return Optional.of(new HandoffAck(self, offered.id(), false));
        }
        for (KeyState state : offered.states()) {
            if (mergeRemote(state, true)) {
                retire(state.key(), offered.from());
                saveNow(state.key());
            }
        }
        stats.handoffsAccepted++;
        return Optional.of(new HandoffAck(self, offered.id(), true));
    }

    /** Whether a counter of {@code offered} holds a tombstone retiring its sender into this replica. */
    private boolean alreadyInherited(Handoff offered) {
        for (KeyState state : offered.states()) {
            Entry<?> entry = entries.get(state.key());
            if (entry != null && retiredInto(entry.state, offered.from(), self)) {
                return true;
            }
        }
        return false;
    }

    private static boolean retiredInto(Object state, ReplicaId departed, ReplicaId heir) {
        return switch (state) {
            case PnCounter counter -> retiredInto(counter.increments(), departed, heir)
                    || retiredInto(counter.decrements(), departed, heir);
            case GCounter counter -> {
                GCounter.Retirement retirement = counter.retired().get(departed);
                yield retirement != null && retirement.heir().equals(heir);
            }
            default -> false;
        };
    }

    /**
     * The leaver's side of a confirmed hand-off: retires this replica into {@code heir} in its
     * own copy of every handed-off counter too, and saves it before the hand-off completes, so a
     * process restarted later on the same data directory does not bring this replica's entry
     * back (which would count it a second time once the others have forgotten the tombstone).
     */
    @SuppressWarnings("unchecked")
    private void retireSelfInto(ReplicaId heir, List<KeyState> handedOff) {
        for (KeyState state : handedOff) {
            Entry<?> entry = entries.get(state.key());
            if (entry == null) {
                continue;
            }
            try {
                switch (entry.state) {
                    case PnCounter counter ->
                            applyLocal(state.key(), (Entry<PnCounter>) entry, counter.retire(self, heir));
                    case GCounter counter ->
                            applyLocal(state.key(), (Entry<GCounter>) entry, counter.retire(self, heir));
                    default -> {
                        continue;
                    }
                }
            } catch (IllegalArgumentException e) {
                continue; // the heir is itself retired in this copy: the heir's tombstone wins anyway
            }
            saveNow(state.key());
        }
    }

    @SuppressWarnings("unchecked")
    private void retire(String key, ReplicaId departed) {
        Entry<?> entry = entries.get(key);
        switch (entry.state) {
            case PnCounter counter -> applyLocal(key, (Entry<PnCounter>) entry, counter.retire(departed, self));
            case GCounter counter -> applyLocal(key, (Entry<GCounter>) entry, counter.retire(departed, self));
            default -> {
                // Only counters keep per-replica entries; other types are left as they are.
            }
        }
    }

    private void finishHandoff(boolean confirmed) {
        PendingHandoff done = handoff;
        handoff = null;
        if (confirmed) {
            stats.handoffsConfirmed++;
        } else {
            stats.handoffsFailed++;
        }
        announceDeparture();
        completer.execute(() -> done.future.complete(confirmed));
    }

    /**
     * Tells every replica this one knows that it has left, so they stop counting it toward
     * MAJORITY and ALL (a temporary replica was never counted and says nothing). A lost
     * announcement costs only availability: the replica stays counted until it is repeated.
     */
    private void announceDeparture() {
        if (temporary || closed) {
            return;
        }
        Set<ReplicaId> everyone = new TreeSet<>(known);
        everyone.addAll(peers);
        for (ReplicaId replica : everyone) {
            transport.send(replica, new Departed(self, List.of(self)));
        }
    }

    /**
     * Forgets departed replicas four grace periods after this replica learned of them (the
     * grace of {@link ReplicaConfig#forgetRetiredAfterMillis}; never when it is 0): by then no
     * view still lists them, and the record would otherwise grow with every replica ever gone.
     */
    private void forgetDeparted(long now) {
        long grace = config.forgetRetiredAfterMillis();
        if (grace > 0 && departed.values().removeIf(seen -> now - seen >= 4 * grace)) {
            knownReplicasUnsaved = true;
        }
    }

    /**
     * Drops the tombstones of departed replicas that this replica first saw more than
     * {@link ReplicaConfig#forgetRetiredAfterMillis} ago (see the class documentation for why
     * that is safe). A local compaction: peers that still hold a tombstone may send it back,
     * which changes nothing, until they forget it too.
     */
    private void forgetRetired(long now) {
        long grace = config.forgetRetiredAfterMillis();
        if (grace == 0) {
            return;
        }
        // the first pass that finds a tombstone starts its grace
        Predicate<ReplicaId> expired = departed -> now - retiredSeenAt.computeIfAbsent(departed, d -> now) >= grace;
        for (Map.Entry<String, Entry<?>> keyed : entries.entrySet()) {
            Entry<?> entry = keyed.getValue();
            Object compacted = withoutTombstones(entry.state, expired);
            if (compacted != entry.state) {
                replaceState(keyed.getKey(), entry, compacted);
            }
        }
        // Remember forgotten replicas a while longer, so that a tombstone sent back by a slower
        // peer is dropped as it arrives (withoutForgottenTombstones) rather than merged again.
        retiredSeenAt.values().removeIf(seen -> now - seen >= 4 * grace);
    }

    /**
     * {@code state} without the tombstones that this replica has already forgotten. A peer whose
     * grace runs out later sends them back, and merging them would keep them alive: the replicas
     * forget in turn and hand the tombstone back to each other, so it could outlive the grace
     * indefinitely (a simulation seed kept one 2.2 graces). Dropping it is safe: a state that
     * holds a tombstone holds no entry of that replica, so what remains adds nothing for it.
     */
    @SuppressWarnings("unchecked")
    private <T> T withoutForgottenTombstones(T state) {
        long grace = config.forgetRetiredAfterMillis();
        if (grace == 0 || retiredSeenAt.isEmpty()) {
            return state;
        }
        long now = environment.nowMillis();
        return (T) withoutTombstones(state, departed -> {
            Long seen = retiredSeenAt.get(departed);
            return seen != null && now - seen >= grace;
        });
    }

    /**
     * A counter {@code state} without the tombstones of the departed replicas that {@code drop}
     * picks (it is asked about every tombstone); {@code state} itself when it drops none or is
     * not a counter.
     */
    private static Object withoutTombstones(Object state, Predicate<ReplicaId> drop) {
        return switch (state) {
            case PnCounter counter -> {
                Set<ReplicaId> dropped = picked(counter.increments(), drop);
                dropped.addAll(picked(counter.decrements(), drop));
                yield dropped.isEmpty() ? state : counter.forget(dropped);
            }
            case GCounter counter -> {
                Set<ReplicaId> dropped = picked(counter, drop);
                yield dropped.isEmpty() ? state : counter.forget(dropped);
            }
            default -> state;
        };
    }

    private static Set<ReplicaId> picked(GCounter counter, Predicate<ReplicaId> drop) {
        Set<ReplicaId> picked = new HashSet<>();
        for (ReplicaId departed : counter.retired().keySet()) {
            if (drop.test(departed)) {
                picked.add(departed);
            }
        }
        return picked;
    }

    @SuppressWarnings("unchecked")
    private <T extends Crdt<T>> void replaceState(String key, Entry<T> entry, Object compacted) {
        entry.state = (T) compacted;
        entry.invalidate();
        unsaved.add(key);
        stats.tombstonesForgotten++;
    }

    // ------------------------------------------------------------------------------------------

    private void flushDeltas() {
        if (pendingDeltas.isEmpty()) {
            return;
        }
        List<KeyState> batch = new ArrayList<>(pendingDeltas.size());
        for (String key : pendingDeltas) {
            Entry<?> entry = entries.get(key);
            batch.add(entry.takeDelta(key));
        }
        pendingDeltas.clear();
        if (!peers.isEmpty()) {
            stats.deltaBatchesSent++;
            stats.statesSent += batch.size();
            transport.broadcast(new Deltas(self, batch));
        }
    }

    private void startAntiEntropy() {
        if (peers.isEmpty()) {
            return;
        }
        int index = environment.random().nextInt(peers.size());
        ReplicaId partner = peers.stream().skip(index).findFirst().orElseThrow();
        stats.digestsSent++;
        transport.send(partner, new Digest(self, digest()));
        if (!departed.isEmpty()) {
            transport.send(partner, new Departed(self, List.copyOf(departed.keySet())));
        }
    }

    private DigestReply answerDigest(Digest digest) {
        List<KeyState> differing = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        for (Map.Entry<String, Entry<?>> mine : entries.entrySet()) {
            Long theirs = digest.hashes().get(mine.getKey());
            if (theirs == null || theirs != mine.getValue().hash(mine.getKey())) {
                differing.add(mine.getValue().encoded(mine.getKey()));
            }
        }
        for (Map.Entry<String, Long> theirs : new TreeMap<>(digest.hashes()).entrySet()) {
            Entry<?> mine = entries.get(theirs.getKey());
            if (mine == null || mine.hash(theirs.getKey()) != theirs.getValue()) {
                wanted.add(theirs.getKey());
            }
        }
        stats.statesSent += differing.size();
        return new DigestReply(self, differing, wanted);
    }

    private <T extends Crdt<T>> void applyLocal(String key, Entry<T> entry, T delta) {
        T before = entry.state;
        entry.state = entry.type.merge(before, delta);
        entry.delta = entry.delta == null ? delta : entry.type.merge(entry.delta, delta);
        entry.invalidate();
        pendingDeltas.add(key);
        unsaved.add(key);
        if (!entry.state.equals(before)) {
            notifyListeners(key, entry.state);
        }
    }

    /**
     * Merges a state or delta from another replica (or from storage). Returns false, counting a
     * drop, when it cannot be used: unknown type, type mismatch, or undecodable bytes.
     */
    private boolean mergeRemote(KeyState remote, boolean notify) {
        ReplicatedType<?> type = types.get(remote.type());
        if (type == null) {
            stats.unknownTypes++;
            return false;
        }
        Entry<?> existing = entries.get(remote.key());
        if (existing != null && !existing.type.name().equals(remote.type())) {
            stats.typeMismatches++;
            return false;
        }
        try {
            return mergeTyped(remote, type, notify);
        } catch (CorruptDataException e) {
            stats.corruptStates++;
            return false;
        }
    }

    private <T extends Crdt<T>> boolean mergeTyped(KeyState remote, ReplicatedType<T> type, boolean notify) {
        T decoded = type.codec().decode(remote.state());
        if (decoded instanceof HlcStamped stamped) {
            HlcTimestamp latest = stamped.latestTimestamp();
            if (notify && latest.wallTime() - wallClock.getAsLong() > config.maxClockSkewMillis()) {
                // Stamped too far ahead: merging it would let that writer win every later write.
                // Anti-entropy offers it again, and it merges once within the limit. (States
                // loaded from this replica's own storage are never dropped.)
                stats.statesTooFarAhead++;
                return false;
            }
            observe(latest);
        }
        switch (decoded) {
            case PnCounter counter -> {
                counter.increments().retired().keySet().forEach(this::markDeparted);
                counter.decrements().retired().keySet().forEach(this::markDeparted);
            }
            case GCounter counter -> counter.retired().keySet().forEach(this::markDeparted);
            default -> {
                // Only counters record departures.
            }
        }
        decoded = withoutForgottenTombstones(decoded);
        Entry<T> entry = entry(remote.key(), type);
        T before = entry.state;
        T merged = type.merge(before, decoded);
        stats.statesMerged++;
        if (!merged.equals(before)) {
            entry.state = merged;
            entry.invalidate();
            unsaved.add(remote.key());
            if (notify) {
                notifyListeners(remote.key(), merged);
            }
        }
        return true;
    }

    /** Moves the clock past a remote stamp (already checked to be within the maximum skew). */
    private void observe(HlcTimestamp remote) {
        if (!remote.equals(HlcTimestamp.ZERO)) {
            clock.update(remote);
        }
    }

    /** The latest timestamp this replica's hybrid logical clock issued or accepted. */
    public HlcTimestamp clock() {
        return clock.current();
    }

    private void notifyListeners(String key, Object state) {
        List<Consumer<Object>> list = listeners.get(key);
        if (list == null || list.isEmpty()) {
            return;
        }
        for (Consumer<Object> listener : list) {
            completer.execute(() -> listener.accept(state));
        }
    }

    private void saveNow(String key) {
        Entry<?> entry = entries.get(key);
        if (entry != null) {
            storage.save(entry.encoded(key));
            unsaved.remove(key);
        }
    }

    private void saveUnsaved() {
        for (String key : unsaved) {
            storage.save(entries.get(key).encoded(key));
        }
        unsaved.clear();
    }

    private <T extends Crdt<T>> Entry<T> entry(String key, ReplicatedType<T> type) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Entry<?> existing = entries.get(key);
        if (existing == null) {
            requireRegistered(type);
            Entry<T> created = new Entry<>(type, type.empty());
            entries.put(key, created);
            return created;
        }
        return checkedType(existing, key, type);
    }

    private void requireRegistered(ReplicatedType<?> type) {
        if (types.get(type.name()) != type) {
            throw new IllegalArgumentException("type " + type.name() + " is not registered with this replica");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Crdt<T>> Entry<T> checkedType(Entry<?> entry, String key, ReplicatedType<T> type) {
        if (!entry.type.name().equals(type.name())) {
            throw new IllegalArgumentException("key '" + key + "' holds a " + entry.type.name()
                    + ", not a " + type.name());
        }
        return (Entry<T>) entry;
    }

    /** One key: its type, its state, the delta not yet gossiped, and a cached encoding. */
    private static final class Entry<T extends Crdt<T>> {
        final ReplicatedType<T> type;
        T state;
        T delta;
        private KeyState encoded;
        private long hash;

        Entry(ReplicatedType<T> type, T state) {
            this.type = type;
            this.state = state;
        }

        void invalidate() {
            encoded = null;
        }

        KeyState encoded(String key) {
            if (encoded == null) {
                encoded = new KeyState(key, type.name(), type.codec().encode(state));
                hash = fnv1a(encoded.state());
            }
            return encoded;
        }

        long hash(String key) {
            encoded(key);
            return hash;
        }

        KeyState takeDelta(String key) {
            KeyState out = new KeyState(key, type.name(), type.codec().encode(delta));
            delta = null;
            return out;
        }

        private static long fnv1a(byte[] bytes) {
            long hash = 0xcbf29ce484222325L;
            for (byte b : bytes) {
                hash ^= b & 0xff;
                hash *= 0x100000001b3L;
            }
            return hash;
        }
    }

    /** A write or read waiting for answers from other replicas. */
    private abstract static sealed class PendingOperation permits PendingWrite, PendingRead {
        final long id;
        final String key;
        final Consistency consistency;
        final int required;
        final long deadline;
        final Set<ReplicaId> silent;
        final Set<ReplicaId> answered = new HashSet<>();

        PendingOperation(long id, String key, Consistency consistency, int required, long deadline,
                Set<ReplicaId> targets) {
            this.id = id;
            this.key = key;
            this.consistency = consistency;
            this.required = required;
            this.deadline = deadline;
            this.silent = new LinkedHashSet<>(targets);
        }

        final void answered(ReplicaCore core, ReplicaId replica) {
            if (silent.remove(replica) && answered.add(replica) && reached(core) >= required) {
                core.pending.remove(id);
                complete(core);
            }
        }

        /** The replicas that took part: those that answered, and this one unless temporary. */
        final int reached(ReplicaCore core) {
            return answered.size() + core.selfVotes();
        }

        /** Fails the operation at its timeout with {@link ConsistencyNotReachedException}. */
        final void fail(ReplicaCore core) {
            fail(core, new ConsistencyNotReachedException(what(), consistency, reached(core), required));
        }

        /** Fails the operation with {@code failure}, on the completer. */
        final void fail(ReplicaCore core, RuntimeException failure) {
            core.stats.operationsFailed++;
            CompletableFuture<?> future = future();
            core.completer.execute(() -> future.completeExceptionally(failure));
        }

        /** "write of 'key'" or "read of 'key'", for failure messages. */
        abstract String what();

        abstract CompletableFuture<?> future();

        abstract void sendToSilent(ReplicaCore core);

        abstract void complete(ReplicaCore core);
    }

    private static final class PendingWrite<T extends Crdt<T>> extends PendingOperation {
        final ReplicatedType<T> type;
        final KeyState delta;
        final CompletableFuture<T> future;

        PendingWrite(long id, String key, ReplicatedType<T> type, Consistency consistency, int required,
                long deadline, Set<ReplicaId> targets, KeyState delta, CompletableFuture<T> future) {
            super(id, key, consistency, required, deadline, targets);
            this.type = type;
            this.delta = delta;
            this.future = future;
        }

        @Override
        void sendToSilent(ReplicaCore core) {
            for (ReplicaId replica : silent) {
                core.stats.writesSent++;
                core.transport.send(replica, new Write(core.self, id, delta));
            }
        }

        @Override
        void complete(ReplicaCore core) {
            T state = core.value(key, type);
            core.stats.writesConfirmed++;
            core.completer.execute(() -> future.complete(state));
        }

        @Override
        String what() {
            return "write of '" + key + "'";
        }

        @Override
        CompletableFuture<?> future() {
            return future;
        }
    }

    private static final class PendingRead<T extends Crdt<T>> extends PendingOperation {
        final ReplicatedType<T> type;
        final CompletableFuture<T> future;

        PendingRead(long id, String key, ReplicatedType<T> type, Consistency consistency, int required,
                long deadline, Set<ReplicaId> targets, CompletableFuture<T> future) {
            super(id, key, consistency, required, deadline, targets);
            this.type = type;
            this.future = future;
        }

        @Override
        void sendToSilent(ReplicaCore core) {
            for (ReplicaId replica : silent) {
                core.transport.send(replica, new Read(core.self, id, key));
            }
        }

        @Override
        void complete(ReplicaCore core) {
            T state = core.value(key, type);
            core.completer.execute(() -> future.complete(state));
        }

        @Override
        String what() {
            return "read of '" + key + "'";
        }

        @Override
        CompletableFuture<?> future() {
            return future;
        }
    }

    /**
     * This replica's hand-off while leaving: the counter states to hand over, the candidate heirs
     * in order, the current one (replaced only after it refuses), and the deadline.
     */
    private static final class PendingHandoff {
        final long id;
        final List<KeyState> states;
        final List<ReplicaId> candidates;
        final long deadline;
        final CompletableFuture<Boolean> future = new CompletableFuture<>();
        int current;
        int sentToHeir;
        int undeliveredToHeir;

        PendingHandoff(long id, List<KeyState> states, List<ReplicaId> candidates, long deadline) {
            this.id = id;
            this.states = List.copyOf(states);
            this.candidates = List.copyOf(candidates);
            this.deadline = deadline;
        }

        ReplicaId heir() {
            return candidates.get(current);
        }

        /** Moves to the next candidate after a refusal; false when none is left. */
        boolean nextHeir() {
            current++;
            sentToHeir = 0;
            undeliveredToHeir = 0;
            return current < candidates.size();
        }

        /**
         * Records one send to the current heir reported undelivered; true once every send to it
         * was, so that none of them can have been processed.
         */
        boolean certainlyUndelivered() {
            undeliveredToHeir++;
            return undeliveredToHeir >= sentToHeir;
        }

        void send(ReplicaCore core) {
            sentToHeir++;
            core.stats.statesSent += states.size();
            core.transport.send(heir(), new Handoff(core.self, id, states));
        }
    }

    /** Builds a {@link ReplicaCore}; the built-in types are registered from the start. */
    public static final class Builder {
        private final ReplicaId self;
        private final Environment environment;
        private final ReplicaTransport transport;
        private ReplicaStorage storage = ReplicaStorage.none();
        private ReplicaConfig config = ReplicaConfig.defaults();
        private Executor completer = Runnable::run;
        private int expectedReplicas;
        private boolean temporary;
        private LongSupplier wallClock;
        private final Map<String, ReplicatedType<?>> types = new HashMap<>();

        private Builder(ReplicaId self, Environment environment, ReplicaTransport transport) {
            this.self = Objects.requireNonNull(self, "self");
            this.environment = Objects.requireNonNull(environment, "environment");
            this.transport = Objects.requireNonNull(transport, "transport");
            for (ReplicatedType<?> type : List.of(ReplicatedType.counter(), ReplicatedType.growOnlyCounter(),
                    ReplicatedType.orSet(), ReplicatedType.growOnlySet(), ReplicatedType.lwwRegister(),
                    ReplicatedType.mvRegister(), ReplicatedType.lwwMap(), ReplicatedType.orMap(),
                    ReplicatedType.flag(), ReplicatedType.sequence())) {
                types.put(type.name(), type);
            }
        }

        /** Durable storage (default: none). */
        public Builder storage(ReplicaStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** Settings (default: {@link ReplicaConfig#defaults()}). */
        public Builder config(ReplicaConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The size the replica set is meant to have (default 0: the replicas this one has known).
         * MAJORITY and ALL count at least this many replicas, so that a replica that has not yet
         * met the whole set (a fresh one whose first view is only part of it) cannot confirm a
         * majority of what it has seen so far.
         */
        public Builder expectedReplicas(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("expectedReplicas must be >= 0: " + count);
            }
            this.expectedReplicas = count;
            return this;
        }

        /**
         * Makes this a temporary replica (a command-line client joining for one command): it
         * does not count itself toward MAJORITY and ALL, which then need that many of the
         * <em>other</em> replicas, persists no replica set and announces no departure (the
         * others never counted it). Default: a full replica.
         */
        public Builder temporary(boolean isTemporary) {
            this.temporary = isTemporary;
            return this;
        }

        /**
         * The wall clock, in milliseconds since the epoch, that feeds the hybrid logical clock
         * (and the maximum-skew check) — nothing else. Deadlines and grace periods use the
         * environment's {@link Environment#nowMillis()}, which the runtime makes monotonic.
         * Default: the environment's time (the simulator's skewed virtual clock).
         */
        public Builder wallClock(LongSupplier clock) {
            this.wallClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where futures complete and listeners run (default: inline, for the simulator). */
        public Builder completer(Executor completer) {
            this.completer = Objects.requireNonNull(completer, "completer");
            return this;
        }

        /**
         * Registers an application type; every replica of the set must register it under the same
         * name, or states of that type from others are dropped (and counted).
         */
        public Builder type(ReplicatedType<?> type) {
            ReplicatedType<?> previous = types.putIfAbsent(type.name(), type);
            if (previous != null && previous != type) {
                throw new IllegalArgumentException("a type named " + type.name() + " is already registered");
            }
            return this;
        }

        /** Builds the core, loading whatever the storage holds. */
        public ReplicaCore build() {
            return new ReplicaCore(this);
        }
    }
}
