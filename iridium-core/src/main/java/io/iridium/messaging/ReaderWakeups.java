package io.iridium.messaging;

import java.util.ArrayList;
import java.util.List;

/**
 * Tunnel endpoints whose waiting readers one event loop owes a wake-up, gathered during a read
 * burst and woken once at its end.
 *
 * <p>A bulk tunnel's reader takes a message much faster than the event loop decrypts and decodes
 * the next, so it is nearly always waiting, and waking it for every message cost a futex wake-up,
 * a virtual thread's mount and unmount, and a preemption of the event loop, per 64 KiB. A read
 * burst often carries several messages of one tunnel: the reader is woken once for them all, at
 * the end of the burst, a few microseconds after the first arrived.
 *
 * <p>Threading: one instance per event loop thread, used only by it.
 */
final class ReaderWakeups {
    private final List<TunnelEndpoint> owed = new ArrayList<>();

    /**
     * {@code endpoint}'s readers are to be woken at the end of this burst. Every message asks
     * again, so a burst whose end never comes (its connection failed) strands no reader for
     * good: the next burst on this loop, the tunnel's end or the reader's deadline wakes it.
     */
    void defer(TunnelEndpoint endpoint) {
        if (owed.isEmpty() || owed.get(owed.size() - 1) != endpoint) {
            owed.add(endpoint);
        }
    }

    /** The burst ended: wakes every deferred endpoint's readers. */
    void wakeAll() {
        if (owed.isEmpty()) {
            return;
        }
        for (TunnelEndpoint endpoint : owed) {
            endpoint.wakeDeferredReaders();
        }
        owed.clear();
    }
}
