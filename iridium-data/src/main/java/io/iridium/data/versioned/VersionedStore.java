package io.iridium.data.versioned;

import io.iridium.data.clock.CausalContext;
import io.iridium.data.crdt.MvRegister;
import io.iridium.data.replication.Consistency;
import io.iridium.data.replication.ReplicaOptions;
import io.iridium.data.replication.Replicas;
import io.iridium.data.replication.Replicated;
import io.iridium.data.replication.ReplicatedType;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated key-value store that keeps concurrent writes as siblings and leaves their
 * resolution to the application (Dynamo, Riak), on a {@link Replicas} replica set.
 *
 * <pre>{@code
 * Replicas replicas = Replicas.join(node, "carts", ReplicaOptions.defaults().withType(VersionedStore.type()));
 * VersionedStore carts = VersionedStore.on(replicas);
 * Versioned cart = carts.get("alice");                       // siblings + context
 * carts.put("alice", "milk,eggs", cart.context());          // replaces what was read
 * carts.resolve("alice", siblings -> union(siblings));      // or resolveByLastWriterWins
 * }</pre>
 *
 * <p><b>Semantics.</b> Each key is a multi-value register whose values carry the timestamp and
 * replica of their write ({@link Stamped}). A put replaces exactly the siblings its context
 * covers; a put made without having seen a sibling leaves it in place, so nothing is overwritten
 * silently. Siblings are tracked by dotted version vectors, so two clients writing alternately
 * through one replica stay at two siblings, never more (no sibling explosion).
 * {@link #resolveByLastWriterWins} keeps the sibling with the greatest (timestamp, replica) and
 * returns the ones it discarded.
 *
 * <p>Reads and writes here are LOCAL unless a consistency level is given; thread-safety and
 * failures are those of {@link Replicas}.
 */
public final class VersionedStore {

    private static final ReplicatedType<MvRegister<Stamped>> TYPE =
            new ReplicatedType<>("versioned<utf8>", MvRegister.codec(Stamped.codec()), MvRegister.empty());

    private final Replicas replicas;

    private VersionedStore(Replicas replicas) {
        this.replicas = replicas;
    }

    /** The replicated type of a key of the store; register it with {@link ReplicaOptions#withType}. */
    public static ReplicatedType<MvRegister<Stamped>> type() {
        return TYPE;
    }

    /**
     * The store over {@code replicas}, which must have been joined with {@link #type()} registered.
     *
     * @throws IllegalArgumentException if it was not
     */
    public static VersionedStore on(Replicas replicas) {
        Objects.requireNonNull(replicas, "replicas");
        try {
            replicas.handle("versioned-store-check", TYPE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("join the replicas with ReplicaOptions.withType(VersionedStore.type())", e);
        }
        return new VersionedStore(replicas);
    }

    /** The local siblings of {@code key} and the context to write back with. */
    public Versioned get(String key) {
        return Siblings.read(handle(key).get());
    }

    /** The siblings of {@code key} merged from enough replicas for {@code consistency}. */
    public CompletableFuture<Versioned> get(String key, Consistency consistency, Duration timeout) {
        return handle(key).read(consistency, timeout).thenApply(Siblings::read);
    }

    /**
     * Writes {@code value}, replacing the siblings {@code context} covers (from an earlier
     * {@link #get}, or {@link CausalContext#empty()} for a blind write, which replaces nothing).
     * Returns the context of this write, to pass to the next put of the same writer.
     */
    public CausalContext put(String key, String value, CausalContext context) {
        return put(key, value, context, Consistency.LOCAL, Duration.ZERO).join();
    }

    /** {@link #put(String, String, CausalContext)} at {@code consistency}. */
    public CompletableFuture<CausalContext> put(String key, String value, CausalContext context,
            Consistency consistency, Duration timeout) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(context, "context");
        CausalContext[] written = new CausalContext[1];
        return handle(key).update((state, ctx) -> {
            MvRegister<Stamped> delta = Siblings.put(state, ctx.replica(), ctx.timestamp(), value, context);
            written[0] = delta.context();
            return delta;
        }, consistency, timeout).thenApply(state -> written[0]);
    }

    /**
     * Resolves a conflict on {@code key} with {@code resolver}: when it has two or more siblings,
     * their resolution replaces them all. Returns what the key holds afterwards (locally).
     */
    public Versioned resolve(String key, SiblingResolver resolver) {
        Versioned current = get(key);
        if (current.hasConflict()) {
            put(key, Objects.requireNonNull(resolver.resolve(current.siblings()), "the resolver returned null"),
                    current.context());
        }
        return get(key);
    }

    /**
     * Resolves {@code key} by last-writer-wins: the sibling with the greatest (timestamp,
     * replica) replaces all the others, and the result names the discarded ones — the values
     * this resolution destroys.
     */
    public LwwResolution resolveByLastWriterWins(String key) {
        Versioned current = get(key);
        LwwResolution resolution = Siblings.lastWriterWins(current);
        if (resolution.lostData()) {
            put(key, resolution.winner().orElseThrow().value(), current.context());
        }
        return resolution;
    }

    private Replicated<MvRegister<Stamped>> handle(String key) {
        return replicas.handle(key, TYPE);
    }
}
