package io.iridium.consensus.raft;

import java.util.List;
import java.util.Objects;

/**
 * What a node finds on its disk when it restarts: everything it persisted from {@link Ready}s
 * and synced before it crashed.
 *
 * @param hardState the last synced term, vote and commit index
 * @param snapshot  the last saved snapshot (index 0 for a group that has never compacted)
 * @param entries   the log entries after the snapshot, contiguous and in order
 */
public record PersistentState(HardState hardState, Snapshot snapshot, List<Entry> entries) {

    /** Copies and validates the fields. */
    public PersistentState {
        Objects.requireNonNull(hardState, "hardState");
        Objects.requireNonNull(snapshot, "snapshot");
        entries = List.copyOf(entries);
        long expected = snapshot.metadata().index() + 1;
        for (Entry entry : entries) {
            if (entry.index() != expected++) {
                throw new IllegalArgumentException("entries are not contiguous after the snapshot at " + entry.index());
            }
        }
    }
}
