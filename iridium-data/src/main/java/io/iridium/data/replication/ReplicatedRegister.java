package io.iridium.data.replication;

import io.iridium.data.crdt.LwwRegister;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A replicated last-writer-wins register of a string ({@link LwwRegister}), stamped by each
 * replica's hybrid logical clock. A write is stamped after the value it replaces, so it wins
 * over everything its replica had seen; of concurrent writes one wins and the others are
 * discarded — use {@code handle(key, ReplicatedType.mvRegister())} or the versioned store to keep
 * them.
 */
public final class ReplicatedRegister {

    private final Replicated<LwwRegister<String>> handle;

    ReplicatedRegister(Replicated<LwwRegister<String>> handle) {
        this.handle = handle;
    }

    /** The local value, empty if never written. */
    public Optional<String> get() {
        return handle.get().value();
    }

    /** The value at {@code consistency}. */
    public CompletableFuture<Optional<String>> get(Consistency consistency, Duration timeout) {
        return handle.read(consistency, timeout).thenApply(LwwRegister::value);
    }

    /** Writes {@code value} locally. */
    public void set(String value) {
        handle.update((register, ctx) -> register.set(ctx.replica(), ctx.timestampAfter(register.timestamp()), value));
    }

    /** Writes {@code value} at {@code consistency}. */
    public CompletableFuture<Optional<String>> set(String value, Consistency consistency, Duration timeout) {
        return handle.update((register, ctx) -> register.set(ctx.replica(), ctx.timestampAfter(register.timestamp()), value),
                consistency, timeout).thenApply(LwwRegister::value);
    }

    /** Calls {@code listener} with the value after every change. */
    public AutoCloseable onChange(Consumer<Optional<String>> listener) {
        return handle.onChange(register -> listener.accept(register.value()));
    }

    /** The generic handle. */
    public Replicated<LwwRegister<String>> handle() {
        return handle;
    }
}
