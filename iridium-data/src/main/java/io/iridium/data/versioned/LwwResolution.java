package io.iridium.data.versioned;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of resolving a key by last-writer-wins: the sibling kept, and the siblings thrown
 * away — the data loss LWW implies, made visible so that it can be logged, counted or shown.
 *
 * @param winner    the sibling with the greatest (timestamp, writer), empty if the key had none
 * @param discarded the other siblings, whose values are gone once this resolution spreads
 */
public record LwwResolution(Optional<Sibling> winner, List<Sibling> discarded) {

    /** Validates and copies. */
    public LwwResolution {
        Objects.requireNonNull(winner, "winner");
        discarded = List.copyOf(discarded);
    }

    /** Whether resolving lost any value. */
    public boolean lostData() {
        return !discarded.isEmpty();
    }
}
