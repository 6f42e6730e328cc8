package io.iridium.membership;

import io.iridium.NodeId;
import io.iridium.membership.SwimMessage.Update;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The transmit-limited broadcast queue (memberlist's {@code TransmitLimitedQueue}): at most one
 * pending update per member, the newest replacing any older one; updates are handed out
 * least-transmitted first and, among equals, newest first, packed into a byte budget (the scan
 * gives up after a few updates in a row do not fit, so a long queue costs little); an update is
 * dropped once it has been sent {@code limit} times.
 */
final class GossipQueue {

    private static final Comparator<Entry> ORDER = Comparator.<Entry>comparingInt(e -> e.transmits)
            .thenComparing(Comparator.comparingLong((Entry e) -> e.sequence).reversed());

    /** The smallest encoded update (one-byte host, empty name, one-byte incarnation). */
    private static final int SMALLEST_UPDATE_BYTES = 39;
    /** Stop looking for a smaller update after this many in a row did not fit: sizes are similar. */
    private static final int MAX_MISSES = 8;

    private final Map<NodeId, Entry> byMember = new HashMap<>();
    private final TreeSet<Entry> queue = new TreeSet<>(ORDER);
    private long nextSequence;

    private static final class Entry {
        final Update update;
        final int size;
        final long sequence;
        int transmits;

        Entry(Update update, long sequence) {
            this.update = update;
            this.size = SwimCodec.encodedSize(update);
            this.sequence = sequence;
        }
    }

    /** Queues {@code update}, replacing any pending update about the same member. */
    void enqueue(Update update) {
        Entry previous = byMember.remove(update.member().id());
        if (previous != null) {
            queue.remove(previous);
        }
        Entry entry = new Entry(update, nextSequence++);
        byMember.put(update.member().id(), entry);
        queue.add(entry);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /**
     * Takes updates that fit in {@code budgetBytes} (at most {@code maxCount}), counting one
     * transmission each and dropping those that reach {@code limit}.
     */
    List<Update> take(int budgetBytes, int maxCount, int limit) {
        if (queue.isEmpty() || budgetBytes <= 0) {
            return List.of();
        }
        List<Entry> taken = new ArrayList<>();
        int remaining = budgetBytes;
        int missesInARow = 0;
        for (Entry entry : queue) {
            if (taken.size() >= maxCount || remaining < SMALLEST_UPDATE_BYTES || missesInARow >= MAX_MISSES) {
                break;
            }
            if (entry.size <= remaining) {
                taken.add(entry);
                remaining -= entry.size;
                missesInARow = 0;
            } else {
                missesInARow++;
            }
        }
        List<Update> updates = new ArrayList<>(taken.size());
        for (Entry entry : taken) {
            queue.remove(entry);
            entry.transmits++;
            if (entry.transmits >= limit) {
                byMember.remove(entry.update.member().id());
            } else {
                queue.add(entry);
            }
            updates.add(entry.update);
        }
        return updates;
    }
}
