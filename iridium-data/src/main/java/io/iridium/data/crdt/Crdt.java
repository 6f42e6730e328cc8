package io.iridium.data.crdt;

/**
 * A state-based conflict-free replicated data type: an immutable value in a join-semilattice.
 *
 * <p>{@link #merge} is the join: commutative, associative and idempotent, so replicas that
 * exchange states in any order, with loss and duplication, converge once each has (directly
 * or transitively) merged every other's updates. All types here are <em>delta-state</em> CRDTs
 * (Almeida, Shoker, Baquero 2018): a mutator such as {@code counter.increment(replica, 1)}
 * does not change anything — values are immutable — but returns a <em>delta</em>, a small value
 * of the same type holding just the change, and
 * <pre>   T next = state.merge(delta);</pre>
 * applies it. The replicator ships deltas (joined into batches with {@code merge}) and falls
 * back to full states for anti-entropy; either way {@code merge} is the only way states meet.
 *
 * <p>Each type has a binary codec ({@code codec()} or {@code codec(elementCodec)}).
 *
 * @param <T> the type itself
 */
public sealed interface Crdt<T extends Crdt<T>>
        permits GCounter, PnCounter, GSet, TwoPhaseSet, CausalCrdt, LwwRegister, LwwMap, Rga {

    /**
     * The least upper bound of this value and {@code other}: everything either has seen.
     * Neither argument changes.
     */
    T merge(T other);
}
