package io.iridium.data.replication;

import io.iridium.IridiumException;
import io.iridium.Member;
import io.iridium.Node;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.data.CorruptDataException;
import io.iridium.data.ReplicaId;
import io.iridium.data.crdt.Crdt;
import io.iridium.env.Environment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * This node's replica of a replica set: the entry point of replicated data.
 *
 * <pre>{@code
 * try (Replicas replicas = Replicas.join(node, "ads")) {
 *     ReplicatedCounter impressions = replicas.counter("impressions");
 *     impressions.increment(1);                                          // LOCAL: at once
 *     impressions.increment(1, Consistency.MAJORITY, Duration.ofSeconds(2)).join();
 *     long total = impressions.value();
 * }
 * }</pre>
 *
 * <p><b>How it runs.</b> The replica set is the cluster {@code cluster}: joining registers this
 * node as a member of it, and its members are the replicas ({@link Node#servers}). A
 * {@link ReplicaCore} holds the state; this class drives it: a tick every
 * {@link ReplicaConfig#tick()} flushes batched deltas with {@link Node#broadcast} and runs
 * anti-entropy; digests, pushes, MAJORITY/ALL writes and reads go to one member at a time with
 * {@link Node#requestAsync(String, io.iridium.NodeId, byte[], Duration)}, and the handler answers
 * them with the core's reply. A node that joins later is filled in by anti-entropy.
 *
 * <p><b>Leaving.</b> {@link #close()} (or {@link #leave()}) hands this replica's counter entries
 * to a surviving replica before it goes, so counters keep one entry per <em>live</em> replica
 * however many come and go; see {@link ReplicaCore} for the protocol and why it is safe.
 *
 * <p><b>Who counts.</b> MAJORITY and ALL count the replicas this one has known serving the
 * cluster (persisted with the data directory), not just those it sees now: a replica cut off
 * with a minority cannot confirm a MAJORITY. A crashed replica counts until it restarts on its
 * data directory or {@link #forgetReplica} removes it; one that left gracefully stops counting.
 * A {@linkplain ReplicaOptions#temporary() temporary} replica does not serve the cluster and
 * does not count itself.
 *
 * <p><b>Identity and restarts.</b> The replica identity is this node incarnation's
 * {@link io.iridium.NodeId}. With a data directory ({@link ReplicaOptions#dataDirectory}), the
 * states survive a restart: the new incarnation loads them and carries on as a new replica.
 *
 * <p><b>Threading.</b> Safe for concurrent use: every call into the core holds one lock, and
 * messages are sent after it is released. Futures complete, and change listeners run, on one
 * thread per {@code Replicas} (in order), never on the caller's thread nor on a node event loop:
 * do not block that thread for long.
 *
 * <p><b>Failures.</b> MAJORITY and ALL operations fail their future with
 * {@link ConsistencyNotReachedException} at their timeout, and with
 * {@link IridiumException.Closed} when this replica closes first; a handle for a key that holds another type throws
 * {@link IllegalArgumentException}; malformed messages from peers are dropped and counted.
 */
public final class Replicas implements AutoCloseable {

    private final Node node;
    private final String cluster;
    private final ReplicaOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> outgoing = new ArrayList<>();
    private final ReplicaCore core;
    private final ExecutorService completer;
    private final ScheduledExecutorService ticker;
    private final Service service;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final AtomicLong failedTicks = new AtomicLong();
    private volatile boolean handedOff;
    private volatile boolean stopped;

    private Replicas(Node node, String cluster, ReplicaOptions options) {
        this.node = node;
        this.cluster = cluster;
        this.options = options;
        // Tasks offered after shutdown (a late listener call) are discarded, never thrown at the
        // core's caller under the lock.
        this.completer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon("iridium-replicas-" + cluster + "-events"), new ThreadPoolExecutor.DiscardPolicy());
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("iridium-replicas-" + cluster + "-tick"));
        RandomGenerator random = new SplittableRandom();
        long origin = System.nanoTime();
        Environment environment = new Environment() {
            /** Monotonic: deadlines and grace periods must not jump with the wall clock. */
            @Override
            public long nowMillis() {
                return (System.nanoTime() - origin) / 1_000_000;
            }

            @Override
            public RandomGenerator random() {
                return random;
            }
        };
        ReplicaCore.Builder builder = ReplicaCore.builder(ReplicaId.of(node.self().id()), environment, new Transport())
                .config(options.config())
                .completer(completer)
                .wallClock(System::currentTimeMillis)
                .temporary(options.temporary())
                .expectedReplicas(options.expectedReplicas());
        options.dataDirectory().ifPresent(directory -> builder.storage(new FileReplicaStorage(directory)));
        options.types().forEach(builder::type);
        this.core = builder.build();
        this.service = options.temporary() ? null : node.register(cluster, new Handler());
        long tickMillis = options.config().tick().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Makes {@code node} a replica of {@code cluster} with the default options. */
    public static Replicas join(Node node, String cluster) {
        return join(node, cluster, ReplicaOptions.defaults());
    }

    /**
     * Makes {@code node} a replica of {@code cluster}: registers it as a member of the cluster,
     * loads the data directory if there is one, and starts ticking.
     *
     * @throws IllegalArgumentException for an invalid cluster name
     * @throws java.io.UncheckedIOException if the data directory cannot be read
     */
    public static Replicas join(Node node, String cluster, ReplicaOptions options) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(options, "options");
        return new Replicas(node, cluster, options);
    }

    /** The cluster this replica set is. */
    public String cluster() {
        return cluster;
    }

    /** This replica's identity. */
    public ReplicaId self() {
        return core.self();
    }

    /**
     * The replicas in this replica's current view of the set, itself included (not when
     * temporary: it does not serve the set).
     */
    public List<ReplicaId> replicas() {
        List<ReplicaId> all = new ArrayList<>(call(ReplicaCore::peers));
        if (!options.temporary()) {
            all.add(core.self());
        }
        all.sort(null);
        return all;
    }

    /**
     * The other replicas MAJORITY and ALL count: every replica seen serving the set, minus those
     * known to have left (see {@link ReplicaCore}).
     */
    public List<ReplicaId> knownReplicas() {
        List<ReplicaId> all = new ArrayList<>(call(ReplicaCore::knownReplicas));
        all.sort(null);
        return all;
    }

    /**
     * An operator's removal of {@code replica}, a replica that crashed for good without leaving:
     * it no longer counts toward MAJORITY and ALL, here and, through anti-entropy, everywhere.
     *
     * @throws IllegalArgumentException if {@code replica} is this replica
     */
    public void forgetReplica(ReplicaId replica) {
        step(core -> {
            core.forgetReplica(replica);
            return null;
        });
    }

    /** A PN-counter under {@code key}. */
    public ReplicatedCounter counter(String key) {
        return new ReplicatedCounter(handle(key, ReplicatedType.counter()));
    }

    /** An add-wins OR-Set of strings under {@code key}. */
    public ReplicatedSet orSet(String key) {
        return new ReplicatedSet(handle(key, ReplicatedType.orSet()));
    }

    /** A last-writer-wins register of a string under {@code key}. */
    public ReplicatedRegister register(String key) {
        return new ReplicatedRegister(handle(key, ReplicatedType.lwwRegister()));
    }

    /** A last-writer-wins map from strings to strings under {@code key}. */
    public ReplicatedMap map(String key) {
        return new ReplicatedMap(handle(key, ReplicatedType.lwwMap()));
    }

    /** A sequence of strings (RGA) under {@code key}, for collaborative lists and text. */
    public ReplicatedSequence sequence(String key) {
        return new ReplicatedSequence(handle(key, ReplicatedType.sequence()));
    }

    /**
     * A handle on {@code key} for any registered type, for example
     * {@code handle("doc", ReplicatedType.mvRegister())}.
     *
     * @throws IllegalArgumentException if the key already holds another type
     */
    public <T extends Crdt<T>> Replicated<T> handle(String key, ReplicatedType<T> type) {
        call(core -> core.value(key, type));
        return new Replicated<>(this, key, type);
    }

    /** Counters of the core, read under its lock, plus drops of malformed messages and failures. */
    public String stats() {
        return call(core -> core.stats().toString()) + " malformed=" + malformed.get() + " failedSends="
                + failedSends.get() + " failedTicks=" + failedTicks.get();
    }

    /**
     * Leaves the replica set for good: same as {@link #leave()}, ignoring its result.
     */
    @Override
    public void close() {
        leave();
    }

    /**
     * Leaves the replica set for good. First this replica stops taking updates and hands its
     * counter entries to an heir ({@link ReplicaCore#leave}), waiting at most twice the request
     * timeout, so that replicas coming and going leave no entries behind; then it flushes, stops
     * ticking and leaves the cluster. MAJORITY/ALL operations still pending then fail with
     * {@link IridiumException.Closed}, and messages arriving later are dropped. Do not call it
     * from a change listener (it would wait out the timeout). Idempotent.
     *
     * @return whether an heir confirmed the hand-off (or there was nothing to hand over); when
     *         not, this replica's counter entries stay, which is correct, just not compact
     */
    public boolean leave() {
        if (!closed.compareAndSet(false, true)) {
            return handedOff;
        }
        try {
            long timeoutMillis = options.requestTimeout().toMillis() * 2;
            CompletableFuture<Boolean> left = step(core -> core.leave(timeoutMillis));
            try {
                handedOff = left.get(timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handedOff = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handedOff = false;
            }
            step(core -> {
                core.tick(); // one last flush of pending deltas and saves
                core.close(); // fails what is still pending; drops every later message
                return null;
            });
            ticker.shutdownNow();
        } finally {
            stopped = true;
            ticker.shutdownNow();
            if (service != null) {
                service.close();
            }
            completer.shutdown();
        }
        return handedOff;
    }

    // ------------------------------------------------------------------------------------------
    // Used by the handles

    <T extends Crdt<T>> T local(String key, ReplicatedType<T> type) {
        return call(core -> core.value(key, type));
    }

    <T extends Crdt<T>> CompletableFuture<T> update(String key, ReplicatedType<T> type,
            BiFunction<T, WriteContext, T> mutator, Consistency consistency, Duration timeout) {
        ensureOpen();
        return step(core -> core.update(key, type, mutator, consistency, timeout.toMillis()));
    }

    <T extends Crdt<T>> CompletableFuture<T> read(String key, ReplicatedType<T> type, Consistency consistency,
            Duration timeout) {
        ensureOpen();
        return step(core -> core.read(key, type, consistency, timeout.toMillis()));
    }

    <T extends Crdt<T>> AutoCloseable onChange(String key, ReplicatedType<T> type, Consumer<T> listener) {
        return call(core -> core.onChange(key, type, listener));
    }

    // ------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("these replicas of " + cluster + " are closed");
        }
    }

    private void tick() {
        try {
            List<ReplicaId> view = new ArrayList<>();
            for (Member member : node.servers(cluster)) {
                view.add(ReplicaId.of(member.id()));
            }
            step(core -> {
                core.setPeers(view);
                core.tick();
                return null;
            });
        } catch (RuntimeException e) {
            // A failing tick (the node closing under us, a storage error) must not stop later ones.
            failedTicks.incrementAndGet();
        }
    }

    /** Runs {@code action} on the core under the lock, then sends what it queued. */
    private <R> R step(Function<ReplicaCore, R> action) {
        List<Runnable> sends;
        R result;
        lock.lock();
        try {
            result = action.apply(core);
            sends = List.copyOf(outgoing);
            outgoing.clear();
        } finally {
            lock.unlock();
        }
        for (Runnable send : sends) {
            send.run();
        }
        return result;
    }

    /** Reads from the core under the lock (sends nothing). */
    private <R> R call(Function<ReplicaCore, R> action) {
        lock.lock();
        try {
            return action.apply(core);
        } finally {
            lock.unlock();
        }
    }

    private void receive(ReplicaMessage message, Consumer<ReplicaMessage> replyTo) {
        if (stopped) {
            return; // closed: the core would drop it anyway, and the completer is gone
        }
        Optional<ReplicaMessage> reply = step(core -> core.receive(message));
        reply.ifPresent(replyTo);
    }

    private void sendRequest(ReplicaId to, ReplicaMessage message) {
        byte[] bytes = ReplicaMessageCodec.encode(message);
        try {
            node.requestAsync(cluster, to.toNodeId(), bytes, options.requestTimeout()).whenComplete((reply, failure) -> {
                if (failure != null) {
                    failedSends.incrementAndGet();
                    if (neverProcessed(failure) && !stopped) {
                        step(core -> {
                            core.undelivered(to, message);
                            return null;
                        });
                    }
                } else if (reply != null && reply.length > 0) {
                    try {
                        receive(ReplicaMessageCodec.decode(reply), ignored -> { });
                    } catch (CorruptDataException e) {
                        malformed.incrementAndGet();
                    }
                }
            });
        } catch (RuntimeException e) {
            failedSends.incrementAndGet();
            if (neverProcessed(e)) {
                step(core -> {
                    core.undelivered(to, message);
                    return null;
                });
            }
        }
    }

    /** Whether a request failure says the receiver certainly did not run the request. */
    private static boolean neverProcessed(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof IridiumException.NoMembers || cause instanceof IridiumException.Overloaded;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Queues the core's messages; {@link #step} sends them once the lock is released. */
    private final class Transport implements ReplicaTransport {
        @Override
        public void broadcast(ReplicaMessage.Deltas deltas) {
            byte[] bytes = ReplicaMessageCodec.encode(deltas);
            outgoing.add(() -> {
                try {
                    node.broadcast(cluster, bytes);
                } catch (RuntimeException e) {
                    failedSends.incrementAndGet();
                }
            });
        }

        @Override
        public void send(ReplicaId to, ReplicaMessage message) {
            outgoing.add(() -> sendRequest(to, message));
        }
    }

    /** The service handler: broadcasts carry deltas, requests get the core's reply. */
    private final class Handler implements ServiceHandler {
        @Override
        public void handleBroadcast(byte[] message) {
            try {
                receive(ReplicaMessageCodec.decode(message), ignored -> { });
            } catch (CorruptDataException e) {
                malformed.incrementAndGet();
            }
        }

        @Override
        public byte[] handleRequest(byte[] request) {
            ReplicaMessage message;
            try {
                message = ReplicaMessageCodec.decode(request);
            } catch (CorruptDataException e) {
                malformed.incrementAndGet();
                throw e;
            }
            byte[][] reply = {new byte[0]};
            receive(message, answer -> reply[0] = ReplicaMessageCodec.encode(answer));
            return reply[0];
        }
    }
}
