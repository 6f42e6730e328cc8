package io.iridium.consensus.log;

import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.HardState;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.PersistentState;
import io.iridium.consensus.raft.Ready;
import io.iridium.consensus.raft.Snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A Raft node's disk: step 1 of the {@link Ready} discipline and what a restart reads back.
 *
 * <pre>
 *   dataDir/
 *     state              term, vote, commit hint       (HardStateFile, atomic replace)
 *     snapshots/snap-…   newest snapshot               (SnapshotStore, atomic replace)
 *     wal/wal-….log      entries after the snapshot    (SegmentedLog, CRC32C per record)
 * </pre>
 *
 * <p>{@link #persist(Ready)} writes the snapshot (durably, then discards the log), the hard state
 * when term or vote changed (durably, before any entry of the new term), and the entries, then
 * fsyncs the log once: a group commit for everything the Ready carried. A Ready that only moved
 * the commit index costs no fsync. Only then may the driver
 * send the Ready's messages. The commit index is stored only as a conservative hint: never beyond
 * the entries that were durable before the Ready, so a crash can never pair a commit index with
 * an entry that was about to be overwritten.
 *
 * <p>{@link #load()} reconciles the parts after a crash: log entries that do not continue the
 * snapshot (a crash while installing one) are discarded.
 *
 * <p>Not thread-safe: the driver thread owns it.
 */
public final class DiskStorage implements Closeable {

    /** The default segment size, 64 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    private final HardStateFile hardStateFile;
    private final SnapshotStore snapshots;
    private final SegmentedLog log;
    private HardState stored;
    private Snapshot snapshot;

    private DiskStorage(HardStateFile hardStateFile, SnapshotStore snapshots, SegmentedLog log, HardState stored,
                        Snapshot snapshot) {
        this.hardStateFile = hardStateFile;
        this.snapshots = snapshots;
        this.log = log;
        this.stored = stored;
        this.snapshot = snapshot;
    }

    /**
     * Opens the storage in {@code dataDir}, creating it when empty.
     *
     * @param dataDir      the node's data directory
     * @param segmentBytes the log's segment size ({@link #DEFAULT_SEGMENT_BYTES})
     * @return the open storage
     * @throws CorruptLogException when any part is damaged beyond a torn log tail
     * @throws IOException         when the file system fails
     */
    public static DiskStorage open(Path dataDir, long segmentBytes) throws IOException {
        HardStateFile hs = new HardStateFile(dataDir.resolve("state"));
        SnapshotStore snaps = new SnapshotStore(dataDir.resolve("snapshots"));
        Snapshot snap = snaps.latest().orElse(new Snapshot(new Snapshot.Metadata(0, 0, Membership.EMPTY), new byte[0]));
        long s = snap.metadata().index();
        SegmentedLog log = SegmentedLog.open(dataDir.resolve("wal"), s + 1, segmentBytes);
        boolean continues;
        if (log.firstIndex() > s + 1) {
            continues = false;
            if (log.lastIndex() >= log.firstIndex()) {
                log.close();
                throw new CorruptLogException(dataDir.resolve("wal"), 0, "the log starts at " + log.firstIndex()
                        + " but the newest snapshot ends at " + s);
            }
        } else if (log.lastIndex() < s) {
            continues = false;
        } else if (s >= log.firstIndex()) {
            continues = log.read(s, s).getFirst().term() == snap.metadata().term();
        } else {
            continues = true;           // the log starts right after the snapshot
        }
        if (!continues) {
            log.reset(s + 1);
        } else if (s >= log.firstIndex()) {
            log.compactTo(s);
        }
        return new DiskStorage(hs, snaps, log, hs.load(), snap);
    }

    /**
     * What a restarting node needs.
     *
     * @return the state for {@link io.iridium.consensus.raft.RaftNode#restart}
     * @throws IOException when the file system fails or a record is damaged
     */
    public PersistentState load() throws IOException {
        long s = snapshot.metadata().index();
        List<Entry> entries = log.lastIndex() > s ? log.read(s + 1, log.lastIndex()) : List.of();
        return new PersistentState(stored, snapshot, entries);
    }

    /**
     * Step 1 of a Ready: persist and fsync. Send the Ready's messages only after this returns.
     *
     * @param ready the Ready just taken from the node
     * @throws IOException when the file system fails; the node must stop, since it cannot know
     *                     what is durable
     */
    public void persist(Ready ready) throws IOException {
        Objects.requireNonNull(ready, "ready");
        if (ready.snapshot().isPresent()) {
            Snapshot s = ready.snapshot().get();
            snapshots.save(s);
            snapshot = s;
            log.reset(s.metadata().index() + 1);
        }
        if (ready.hardState().isPresent()) {
            HardState hs = ready.hardState().get();
            if (hs.term() != stored.term() || !Objects.equals(hs.vote(), stored.vote())) {
                // The commit hint may only cover entries already durable and final: not those this
                // Ready is about to overwrite or add.
                long durable = ready.entries().isEmpty() ? log.lastIndex() : ready.entries().getFirst().index() - 1;
                HardState safe = new HardState(hs.term(), hs.vote(), Math.min(hs.commit(), durable));
                hardStateFile.store(safe);
                stored = safe;
            }
        }
        log.append(ready.entries());
        // A Ready whose hard state only moved the commit index needs no fsync: the commit index
        // is not stored (it is recovered from the leader), and a changed term or vote was made
        // durable above by the hard-state file's own atomic, synced replace.
        if (!ready.entries().isEmpty() || ready.snapshot().isPresent()) {
            log.sync();
        }
    }

    /**
     * Saves the application's snapshot (durably) and drops the log segments it covers; then call
     * {@link io.iridium.consensus.raft.RaftNode#compact(long, byte[])}.
     *
     * @param s the application's snapshot at its applied index
     * @throws IOException when the file system fails
     */
    public void saveSnapshot(Snapshot s) throws IOException {
        snapshots.save(s);
        snapshot = s;
        log.compactTo(s.metadata().index());
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
