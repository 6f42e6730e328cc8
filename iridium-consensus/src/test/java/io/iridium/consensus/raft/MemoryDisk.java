package io.iridium.consensus.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated disk for one node: writes from a {@link Ready} land in a volatile copy and become
 * durable only on {@link #sync()}; {@link #crash()} throws away whatever was not synced.
 * Saving an application snapshot (compaction) is synced at once.
 */
final class MemoryDisk {

    private record Contents(HardState hardState, Snapshot snapshot, List<Entry> entries) {
        Contents copy() {
            return new Contents(hardState, snapshot, new ArrayList<>(entries));
        }
    }

    private Contents durable;
    private Contents volatileCopy;

    MemoryDisk() {
        durable = new Contents(HardState.EMPTY, new Snapshot(new Snapshot.Metadata(0, 0, Membership.EMPTY), new byte[0]),
                new ArrayList<>());
        volatileCopy = durable.copy();
    }

    /** Step 1 of the Ready discipline, without the fsync. */
    void write(Ready ready) {
        Contents c = volatileCopy;
        HardState hs = ready.hardState().orElse(c.hardState);
        Snapshot snap = c.snapshot;
        List<Entry> entries = c.entries;
        if (ready.snapshot().isPresent()) {
            snap = ready.snapshot().get();
            entries = new ArrayList<>();
        }
        if (!ready.entries().isEmpty()) {
            long first = ready.entries().getFirst().index();
            long base = snap.metadata().index();
            int keep = (int) Math.max(0, Math.min(entries.size(), first - base - 1));
            entries = new ArrayList<>(entries.subList(0, keep));
            entries.addAll(ready.entries());
        }
        volatileCopy = new Contents(hs, snap, entries);
    }

    void sync() {
        durable = volatileCopy.copy();
    }

    void crash() {
        volatileCopy = durable.copy();
    }

    /** Saves an application snapshot at {@code index} and drops the log up to it (synced). */
    void saveSnapshot(Snapshot snapshot) {
        long idx = snapshot.metadata().index();
        List<Entry> rest = new ArrayList<>();
        for (Entry e : volatileCopy.entries) {
            if (e.index() > idx) {
                rest.add(e);
            }
        }
        volatileCopy = new Contents(volatileCopy.hardState, snapshot, rest);
        sync();
    }

    PersistentState load() {
        return new PersistentState(durable.hardState, durable.snapshot, durable.entries);
    }
}
