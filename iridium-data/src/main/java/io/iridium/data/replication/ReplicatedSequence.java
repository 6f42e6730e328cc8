package io.iridium.data.replication;

import io.iridium.data.crdt.Rga;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated sequence of strings ({@link Rga}) for collaboratively edited lists and text:
 * inserts and deletes by position, made concurrently anywhere, end up in one order everywhere.
 */
public final class ReplicatedSequence {

    private final Replicated<Rga<String>> handle;

    ReplicatedSequence(Replicated<Rga<String>> handle) {
        this.handle = handle;
    }

    /** The local values in order. */
    public List<String> values() {
        return handle.get().values();
    }

    /** Inserts {@code value} at {@code index} (0..size) locally. */
    public void insert(int index, String value) {
        handle.update((sequence, ctx) -> sequence.insert(ctx.replica(), index, value));
    }

    /** Appends {@code value} locally. */
    public void append(String value) {
        handle.update((sequence, ctx) -> sequence.insert(ctx.replica(), sequence.size(), value));
    }

    /** Inserts {@code value} at {@code index} at {@code consistency}. */
    public CompletableFuture<List<String>> insert(int index, String value, Consistency consistency, Duration timeout) {
        return handle.update((sequence, ctx) -> sequence.insert(ctx.replica(), index, value), consistency, timeout)
                .thenApply(Rga::values);
    }

    /** Deletes the value at {@code index} locally. */
    public void delete(int index) {
        handle.update((sequence, ctx) -> sequence.delete(index));
    }

    /** The generic handle. */
    public Replicated<Rga<String>> handle() {
        return handle;
    }
}
