package io.iridium.data.replication;

import io.iridium.data.crdt.OrSet;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A replicated add-wins set of strings ({@link OrSet}): an element can be added and removed
 * again any number of times; an add concurrent with a remove wins; a removed element never
 * comes back through an old message.
 */
public final class ReplicatedSet {

    private final Replicated<OrSet<String>> handle;

    ReplicatedSet(Replicated<OrSet<String>> handle) {
        this.handle = handle;
    }

    /** The local elements. */
    public Set<String> elements() {
        return handle.get().elements();
    }

    /** The elements at {@code consistency}. */
    public CompletableFuture<Set<String>> elements(Consistency consistency, Duration timeout) {
        return handle.read(consistency, timeout).thenApply(OrSet::elements);
    }

    /** Whether {@code element} is present locally. */
    public boolean contains(String element) {
        return handle.get().contains(element);
    }

    /** Adds {@code element} locally. */
    public void add(String element) {
        handle.update((set, ctx) -> set.add(ctx.replica(), element));
    }

    /** Adds {@code element} at {@code consistency}; completes with the elements after it. */
    public CompletableFuture<Set<String>> add(String element, Consistency consistency, Duration timeout) {
        return handle.update((set, ctx) -> set.add(ctx.replica(), element), consistency, timeout)
                .thenApply(OrSet::elements);
    }

    /** Removes {@code element} as observed here, locally. */
    public void remove(String element) {
        handle.update((set, ctx) -> set.remove(element));
    }

    /** Removes {@code element} at {@code consistency}; completes with the elements after it. */
    public CompletableFuture<Set<String>> remove(String element, Consistency consistency, Duration timeout) {
        return handle.update((set, ctx) -> set.remove(element), consistency, timeout).thenApply(OrSet::elements);
    }

    /** Calls {@code listener} with the elements after every change. */
    public AutoCloseable onChange(Consumer<Set<String>> listener) {
        return handle.onChange(set -> listener.accept(set.elements()));
    }

    /** The generic handle. */
    public Replicated<OrSet<String>> handle() {
        return handle;
    }
}
