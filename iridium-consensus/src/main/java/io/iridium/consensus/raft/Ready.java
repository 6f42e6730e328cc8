package io.iridium.consensus.raft;

import java.util.List;
import java.util.Optional;

/**
 * What a node asks its driver to do, in this order:
 *
 * <ol>
 *   <li>send {@link #eagerMessages()}: they may go before, or while, step 1 persists;</li>
 *   <li>persist {@link #hardState()}, {@link #snapshot()} (replacing the log up to its index) and
 *       {@link #entries()} (truncating the stored log from the first entry's index), and fsync
 *       when {@link #mustSync()};</li>
 *   <li>send {@link #messages()} (only now: they may acknowledge what step 1 persisted);</li>
 *   <li>restore the state machine from {@link #snapshot()}, then apply
 *       {@link #committedEntries()} in order, and serve {@link #readStates()} once applied;</li>
 *   <li>call {@link RaftNode#advance(Ready)}.</li>
 * </ol>
 *
 * <p>Eager messages are a leader's appends, heartbeats and snapshot chunks, and only when its
 * term and vote are already durable: a leader writes its log in parallel with replicating it
 * (Raft thesis, section 10.2.1), so one fsync on the leader and one on each follower overlap
 * instead of adding up. This is safe because the leader counts its own log towards a quorum
 * only once {@link RaftNode#advance(Ready)} reports it persisted; a leader that crashes before
 * its fsync restarts as a follower of that term, which has one leader only, and the entries a
 * follower got from it are then overwritten or committed like any uncommitted entries.
 *
 * @param hardState        the hard state to persist, when it changed
 * @param snapshot         a snapshot received from the leader, to persist and restore
 * @param entries          log entries to persist
 * @param eagerMessages    messages that may be sent before persisting
 * @param messages         messages to send after persisting
 * @param committedEntries entries to apply to the state machine
 * @param readStates       confirmed read indexes
 * @param role             the node's role when the Ready was made
 * @param term             the node's term when the Ready was made
 */
public record Ready(Optional<HardState> hardState, Optional<Snapshot> snapshot, List<Entry> entries,
                    List<RaftMessage> eagerMessages, List<RaftMessage> messages, List<Entry> committedEntries, List<ReadState> readStates,
                    Role role, long term) {

    /** Copies the lists. */
    public Ready {
        entries = List.copyOf(entries);
        eagerMessages = List.copyOf(eagerMessages);
        messages = List.copyOf(messages);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    /**
     * Every message of this Ready, eager ones first.
     *
     * @return the messages in sending order
     */
    public List<RaftMessage> allMessages() {
        if (eagerMessages.isEmpty()) {
            return messages;
        }
        List<RaftMessage> all = new java.util.ArrayList<>(eagerMessages);
        all.addAll(messages);
        return all;
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
