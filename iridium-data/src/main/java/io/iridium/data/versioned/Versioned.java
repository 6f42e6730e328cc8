package io.iridium.data.versioned;

import io.iridium.data.clock.CausalContext;
import java.util.List;
import java.util.Objects;

/**
 * What a read of the versioned store returns: the key's siblings (none if never written or
 * cleared, one normally, several after concurrent writes) and the causal context to write back
 * with, which covers exactly these siblings and everything before them.
 *
 * @param siblings the current values, in dot order
 * @param context  the causal context of this read; pass it to {@link VersionedStore#put}
 */
public record Versioned(List<Sibling> siblings, CausalContext context) {

    /** Validates and copies. */
    public Versioned {
        siblings = List.copyOf(siblings);
        Objects.requireNonNull(context, "context");
    }

    /** The values of the siblings, in dot order. */
    public List<String> values() {
        return siblings.stream().map(Sibling::value).toList();
    }

    /** Whether concurrent writes left more than one value. */
    public boolean hasConflict() {
        return siblings.size() > 1;
    }
}
