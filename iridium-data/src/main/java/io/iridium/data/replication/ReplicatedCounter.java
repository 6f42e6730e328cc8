package io.iridium.data.replication;

import io.iridium.data.crdt.PnCounter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * A replicated counter that goes up and down ({@link PnCounter}): increments made anywhere,
 * concurrently, through partitions, all count exactly once once the replicas have met. The
 * LOCAL methods never block; the others complete when the consistency level is reached.
 */
public final class ReplicatedCounter {

    private final Replicated<PnCounter> handle;

    ReplicatedCounter(Replicated<PnCounter> handle) {
        this.handle = handle;
    }

    /** The local value. */
    public long value() {
        return handle.get().value();
    }

    /** The value at {@code consistency}. */
    public CompletableFuture<Long> value(Consistency consistency, Duration timeout) {
        return handle.read(consistency, timeout).thenApply(PnCounter::value);
    }

    /** Adds {@code amount} (negative subtracts) locally; returns the new local value. */
    public long increment(long amount) {
        return handle.update((counter, ctx) -> counter.add(ctx.replica(), amount)).value();
    }

    /**
     * Adds {@code amount} at {@code consistency}; completes with the value after it, which at
     * MAJORITY or ALL includes every increment those replicas had (see {@link Replicated#update}).
     */
    public CompletableFuture<Long> increment(long amount, Consistency consistency, Duration timeout) {
        return handle.update((counter, ctx) -> counter.add(ctx.replica(), amount), consistency, timeout)
                .thenApply(PnCounter::value);
    }

    /** Calls {@code listener} with the new value after every change. */
    public AutoCloseable onChange(LongConsumer listener) {
        return handle.onChange(counter -> listener.accept(counter.value()));
    }

    /** The generic handle. */
    public Replicated<PnCounter> handle() {
        return handle;
    }
}
