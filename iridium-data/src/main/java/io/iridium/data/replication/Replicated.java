package io.iridium.data.replication;

import io.iridium.data.crdt.Crdt;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A handle on one key of a replica set, for any CRDT type: read its state and update it with
 * the type's own mutators. The typed handles ({@link ReplicatedCounter}, {@link ReplicatedSet},
 * ...) are thin wrappers over this one. Handles are cheap and thread-safe; two handles on one key
 * see one state.
 *
 * @param <T> the CRDT type
 */
public final class Replicated<T extends Crdt<T>> {

    private final Replicas replicas;
    private final String key;
    private final ReplicatedType<T> type;

    Replicated(Replicas replicas, String key, ReplicatedType<T> type) {
        this.replicas = replicas;
        this.key = key;
        this.type = type;
    }

    /** The key. */
    public String key() {
        return key;
    }

    /** The type. */
    public ReplicatedType<T> type() {
        return type;
    }

    /** The local state (LOCAL read): never blocks on the network. */
    public T get() {
        return replicas.local(key, type);
    }

    /**
     * The state at {@code consistency}: the join of the states of enough replicas. Fails with
     * {@link ConsistencyNotReachedException} after {@code timeout}.
     */
    public CompletableFuture<T> read(Consistency consistency, Duration timeout) {
        return replicas.read(key, type, consistency, timeout);
    }

    /**
     * Applies {@code mutator} — which returns a delta made by the type's mutators, e.g.
     * {@code (set, ctx) -> set.add(ctx.replica(), "x")} — and completes with the new local state
     * when {@code consistency} is reached.
     *
     * <p>At LOCAL the mutator runs at once on the local state and the result is already complete.
     * At MAJORITY or ALL the key is first read at the same level (which merges what those
     * replicas hold into the local state), so the mutator sees what they have seen — a remove
     * removes what a majority observed — and the state it completes with includes every update
     * those replicas had, not only this replica's view; a replica that just joined therefore
     * answers a counter increment with the cluster's total. Both steps share {@code timeout}.
     */
    public CompletableFuture<T> update(BiFunction<T, WriteContext, T> mutator, Consistency consistency, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (consistency == Consistency.LOCAL) {
            return replicas.update(key, type, mutator, consistency, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        return read(consistency, timeout).thenCompose(observed -> {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            return replicas.update(key, type, mutator, consistency, left);
        });
    }

    /** {@link #update} at LOCAL: applies now and returns the new local state. */
    public T update(BiFunction<T, WriteContext, T> mutator) {
        return replicas.update(key, type, mutator, Consistency.LOCAL, Duration.ZERO).join();
    }

    /**
     * Calls {@code listener} with the new state after each change of this key, local or remote,
     * on the replicas' event thread; closing the result removes it.
     */
    public AutoCloseable onChange(Consumer<T> listener) {
        return replicas.onChange(key, type, listener);
    }

    @Override
    public String toString() {
        return key + ":" + type;
    }
}
