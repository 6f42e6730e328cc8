package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.Dot;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An enable-wins flag: a boolean where an enable concurrent with a disable wins (Almeida et
 * al. 2018). It is an OR-Set of a single element: enabling adds a fresh dot (and replaces the
 * dots it observed), disabling removes the dots it observed; the flag is on while any dot
 * remains.
 *
 * <p><b>Invariants:</b> every stored dot is in the context. An immutable value; mutators
 * return deltas ({@code state.merge(delta)} applies them).
 */
public final class EnableWinsFlag implements CausalCrdt<EnableWinsFlag> {

    private static final EnableWinsFlag EMPTY = new EnableWinsFlag(new TreeSet<>(), CausalContext.empty());
    private static final int TAG = 0x19;

    private final SortedSet<Dot> dots;
    private final CausalContext context;

    private EnableWinsFlag(TreeSet<Dot> dots, CausalContext context) {
        this.dots = Collections.unmodifiableSortedSet(dots);
        this.context = context;
    }

    /** The disabled flag, with an empty context. */
    public static EnableWinsFlag disabled() {
        return EMPTY;
    }

    /** The delta that enables the flag at {@code replica}. */
    public EnableWinsFlag enable(ReplicaId replica) {
        Dot dot = context.next(replica);
        TreeSet<Dot> delta = new TreeSet<>();
        delta.add(dot);
        return new EnableWinsFlag(delta, CausalContext.of(dots).add(dot));
    }

    /** The delta that disables the flag as observed here (concurrent enables win). */
    public EnableWinsFlag disable() {
        return new EnableWinsFlag(new TreeSet<>(), CausalContext.of(dots));
    }

    /** Whether the flag is on. */
    public boolean isEnabled() {
        return !dots.isEmpty();
    }

    @Override
    public CausalContext context() {
        return context;
    }

    Set<Dot> dots() {
        return dots;
    }

    EnableWinsFlag withContext(CausalContext newContext) {
        return new EnableWinsFlag(new TreeSet<>(dots), newContext);
    }

    @Override
    public EnableWinsFlag merge(EnableWinsFlag other) {
        if (other == this) {
            return this;
        }
        return new EnableWinsFlag(new TreeSet<>(Causal.join(dots, context, other.dots, other.context)),
                context.merge(other.context));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnableWinsFlag other && dots.equals(other.dots) && context.equals(other.context);
    }

    @Override
    public int hashCode() {
        return dots.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        return "EnableWinsFlag{" + isEnabled() + ", " + dots + ", " + context + "}";
    }

    /**
     * The binary encoding: {@code 0x19 | version 1 | causal context body | count | dots}, dots
     * in order and inside the context.
     */
    public static Codec<EnableWinsFlag> codec() {
        return CODEC;
    }

    private static final Codec<EnableWinsFlag> CODEC = new Codec<>() {
        @Override
        public void write(EnableWinsFlag value, DataWriter out) {
            out.writeByte(TAG).writeByte(Encoding.VERSION);
            CausalContext.writeBody(value.context, out);
            Encoding.writeDots(value.dots, out);
        }

        @Override
        public EnableWinsFlag read(DataReader in) {
            in.readHeader(TAG, Encoding.VERSION, "enable-wins flag");
            CausalContext context = CausalContext.readBody(in);
            Set<Dot> dots = Encoding.readDots(in);
            for (Dot dot : dots) {
                if (!context.contains(dot)) {
                    throw in.corrupt("flag dot " + dot + " outside the context");
                }
            }
            return new EnableWinsFlag(new TreeSet<>(dots), context);
        }
    };
}
