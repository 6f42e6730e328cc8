package io.iridium.consensus.raft;

import java.util.List;
import java.util.Optional;

/**
 * What a node asks its driver to do, in this order:
 *
 * <ol>
 *   <li>persist {@link #hardState()}, {@link #snapshot()} (replacing the log up to its index) and
 *       {@link #entries()} (truncating the stored log from the first entry's index), and fsync
 *       when {@link #mustSync()};</li>
 *   <li>send {@link #messages()} (only now: they may acknowledge what step 1 persisted);</li>
 *   <li>restore the state machine from {@link #snapshot()}, then apply
 *       {@link #committedEntries()} in order, and serve {@link #readStates()} once applied;</li>
 *   <li>call {@link RaftNode#advance(Ready)}.</li>
 * </ol>
 *
 * @param hardState        the hard state to persist, when it changed
 * @param snapshot         a snapshot received from the leader, to persist and restore
 * @param entries          log entries to persist
 * @param messages         messages to send after persisting
 * @param committedEntries entries to apply to the state machine
 * @param readStates       confirmed read indexes
 * @param role             the node's role when the Ready was made
 * @param term             the node's term when the Ready was made
 */
public record Ready(Optional<HardState> hardState, Optional<Snapshot> snapshot, List<Entry> entries,
                    List<RaftMessage> messages, List<Entry> committedEntries, List<ReadState> readStates,
                    Role role, long term) {

    /** Copies the lists. */
    public Ready {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    /**
     * Whether step 1 must fsync before step 2.
     *
     * @return true when anything is to be persisted
     */
    public boolean mustSync() {
        return hardState.isPresent() || snapshot.isPresent() || !entries.isEmpty();
    }
}
