package io.iridium.consensus.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's log in memory: a snapshot position followed by contiguous entries, with three marks.
 *
 * <pre>
 *   snapshotIndex   applied      committed          stable                 lastIndex
 *        │            │             │                  │                       │
 *   ─────┼──[ entries  ]────────────┼──────────────────┼───── unstable ────────┤
 *        compacted                                     persisted up to here
 * </pre>
 *
 * <p>Invariants: {@code snapshotIndex <= applied <= committed <= lastIndex};
 * {@code snapshotIndex <= stable <= lastIndex}; entries above {@code stable} have not been
 * persisted and are handed out in the next {@link Ready}; a committed entry is never truncated
 * (an attempt is a bug and throws). The log keeps every entry after the last snapshot; the
 * application bounds memory by calling {@link RaftNode#compact(long, byte[])}.
 */
final class RaftLog {

    private long snapshotIndex;
    private long snapshotTerm;
    private byte[] snapshotData = new byte[0];
    private Membership snapshotMembership = Membership.EMPTY;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private Snapshot unstableSnapshot;
    long committed;
    long applied;
    long stable;

    RaftLog(Snapshot snapshot, List<Entry> persisted, long commit) {
        Snapshot.Metadata meta = snapshot.metadata();
        snapshotIndex = meta.index();
        snapshotTerm = meta.term();
        snapshotData = snapshot.data();
        snapshotMembership = meta.membership();
        entries.addAll(persisted);
        stable = lastIndex();
        applied = snapshotIndex;
        committed = Math.max(snapshotIndex, Math.min(commit, lastIndex()));
    }

    long firstIndex() {
        return snapshotIndex + 1;
    }

    long lastIndex() {
        return snapshotIndex + entries.size();
    }

    long snapshotIndex() {
        return snapshotIndex;
    }

    /** The term at {@code index}; -1 when compacted away or beyond the last index. */
    long term(long index) {
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        if (index < snapshotIndex || index > lastIndex()) {
            return -1;
        }
        return entries.get((int) (index - snapshotIndex - 1)).term();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    boolean matchTerm(long index, long term) {
        long t = term(index);
        return t >= 0 && t == term;
    }

    Entry entry(long index) {
        return entries.get((int) (index - snapshotIndex - 1));
    }

    /** Entries in {@code [lo, hi]}, at most {@code maxBytes} of payload but at least one. */
    List<Entry> slice(long lo, long hi, long maxBytes) {
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i <= hi; i++) {
            Entry e = entry(i);
            bytes += e.payload().size();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Whether a candidate whose last entry is {@code (index, term)} is at least as up to date (§5.4.1). */
    boolean isUpToDate(long index, long term) {
        long lastTerm = lastTerm();
        return term > lastTerm || (term == lastTerm && index >= lastIndex());
    }

    /** Appends at the end (leader). */
    void append(Entry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("append at " + entry.index() + " after " + lastIndex());
        }
        entries.add(entry);
    }

    /**
     * A follower's append: when {@code (prevIndex, prevTerm)} matches, drops conflicting entries,
     * appends the new ones, and commits up to {@code min(leaderCommit, last new index)}.
     *
     * @return the last index known to match the leader, or -1 on a mismatch
     */
    long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> newEntries) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNew = prevIndex + newEntries.size();
        for (Entry e : newEntries) {
            if (e.index() <= snapshotIndex) {
                continue;
            }
            long existing = term(e.index());
            if (existing != e.term()) {
                if (existing >= 0 && e.index() <= committed) {
                    throw new IllegalStateException("entry " + e.index() + " conflicts with a committed entry");
                }
                truncateFrom(e.index());
                entries.add(e);
            }
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    private void truncateFrom(long index) {
        if (index <= lastIndex()) {
            int from = (int) (index - snapshotIndex - 1);
            entries.subList(from, entries.size()).clear();
            stable = Math.min(stable, index - 1);
        }
    }

    /**
     * The largest index at or below {@code index} whose term is at most {@code term} (or the
     * first unknown one): the fast back-off hint of etcd-io/raft.
     */
    long findConflictByTerm(long index, long term) {
        index = Math.min(index, lastIndex());
        while (index > snapshotIndex) {
            long t = term(index);
            if (t <= term) {
                break;
            }
            index--;
        }
        return index;
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
            }
            committed = index;
        }
    }

    /** Replaces the whole log with a snapshot received from the leader. */
    void restore(Snapshot snapshot) {
        Snapshot.Metadata meta = snapshot.metadata();
        entries.clear();
        snapshotIndex = meta.index();
        snapshotTerm = meta.term();
        snapshotData = snapshot.data();
        snapshotMembership = meta.membership();
        committed = meta.index();
        stable = meta.index();
        unstableSnapshot = snapshot;
    }

    Snapshot unstableSnapshot() {
        return unstableSnapshot;
    }

    void snapshotPersisted(Snapshot snapshot) {
        if (unstableSnapshot == snapshot) {
            unstableSnapshot = null;
        }
    }

    /** The application's snapshot at {@code index}: entries up to it are dropped. */
    void compact(long index, byte[] data, Membership membership) {
        long term = term(index);
        int drop = (int) (index - snapshotIndex);
        entries.subList(0, drop).clear();
        snapshotIndex = index;
        snapshotTerm = term;
        snapshotData = data;
        snapshotMembership = membership;
    }

    Snapshot snapshot() {
        return new Snapshot(new Snapshot.Metadata(snapshotIndex, snapshotTerm, snapshotMembership), snapshotData);
    }

    List<Entry> unstableEntries() {
        return stable >= lastIndex() ? List.of() : List.copyOf(slice(stable + 1, lastIndex(), Long.MAX_VALUE));
    }

    void stableTo(long index, long term) {
        if (index > stable && matchTerm(index, term)) {
            stable = index;
        }
    }

    /** Committed entries not yet applied (all of them persisted once the Ready is handled). */
    List<Entry> nextCommitted() {
        long from = Math.max(applied, snapshotIndex) + 1;
        return committed < from ? List.of() : List.copyOf(slice(from, committed, Long.MAX_VALUE));
    }

    boolean hasNextCommitted() {
        return committed > Math.max(applied, snapshotIndex);
    }
}
