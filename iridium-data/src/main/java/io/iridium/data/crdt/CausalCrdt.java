package io.iridium.data.crdt;

import io.iridium.data.clock.CausalContext;

/**
 * A causal CRDT: a store of values tagged with {@link io.iridium.data.clock.Dot dots}, plus a
 * {@link CausalContext} of every dot the replica has seen (Almeida, Shoker, Baquero 2018, §5).
 *
 * <p>A dot in the context but not in the store was removed (or overwritten); merge keeps a dot
 * only if both sides hold it, or one holds it and the other has never seen it. That is how these
 * types remove without tombstones: the context, compacted to about one counter per replica,
 * remembers what was removed. Because the rule only needs the context, causal CRDTs nest:
 * an {@link OrMap} embeds them sharing one context, and removing a key removes exactly the
 * dots that were observed under it.
 *
 * @param <T> the type itself
 */
public sealed interface CausalCrdt<T extends CausalCrdt<T>> extends Crdt<T>
        permits OrSet, MvRegister, EnableWinsFlag, OrMap {

    /** Every dot this replica has seen, in the stores or removed since. */
    CausalContext context();
}
