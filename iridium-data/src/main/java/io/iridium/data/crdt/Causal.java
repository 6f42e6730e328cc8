package io.iridium.data.crdt;

import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.Dot;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dot-store rules shared by the causal CRDTs, and the operations {@link OrMap} needs on a
 * nested value whatever its type.
 *
 * <p>Merge rule for one dot set (Almeida et al., dot-set join): a dot survives if both sides
 * hold it, or if one side holds it and the other side's context has never seen it:
 * {@code (s1 ∩ s2) ∪ (s1 \ c2) ∪ (s2 \ c1)}. It is commutative, associative and idempotent
 * when each store's dots lie within its own context.
 */
final class Causal {

    private Causal() {
    }

    /** The dot-set join of {@code (s1, c1)} and {@code (s2, c2)}. */
    static Set<Dot> join(Set<Dot> s1, CausalContext c1, Set<Dot> s2, CausalContext c2) {
        TreeSet<Dot> result = new TreeSet<>();
        for (Dot dot : s1) {
            if (s2.contains(dot) || !c2.contains(dot)) {
                result.add(dot);
            }
        }
        for (Dot dot : s2) {
            if (!c1.contains(dot)) {
                result.add(dot);
            }
        }
        return result;
    }

    /** {@code value} with its stores unchanged and its context replaced by {@code context}. */
    @SuppressWarnings("unchecked")
    static <V extends CausalCrdt<V>> V withContext(V value, CausalContext context) {
        CausalCrdt<?> rebased = switch (value) {
            case OrSet<?> set -> set.withContext(context);
            case MvRegister<?> register -> register.withContext(context);
            case EnableWinsFlag flag -> flag.withContext(context);
            case OrMap<?, ?> map -> map.withContext(context);
        };
        return (V) rebased;
    }

    /** Every dot in the stores of {@code value} (not its context). */
    static Set<Dot> dots(CausalCrdt<?> value) {
        return switch (value) {
            case OrSet<?> set -> set.dots();
            case MvRegister<?> register -> register.dots();
            case EnableWinsFlag flag -> flag.dots();
            case OrMap<?, ?> map -> map.dots();
        };
    }

    /** Whether the stores of {@code value} hold no dot (the value is its type's bottom). */
    static boolean isBottom(CausalCrdt<?> value) {
        return switch (value) {
            case OrSet<?> set -> set.isEmpty();
            case MvRegister<?> register -> register.values().isEmpty();
            case EnableWinsFlag flag -> !flag.isEnabled();
            case OrMap<?, ?> map -> map.isEmpty();
        };
    }
}
