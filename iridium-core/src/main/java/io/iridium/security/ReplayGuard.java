package io.iridium.security;

import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Remembers the nonces of accepted datagrams for as long as a replay of them could still pass
 * the freshness check, and says whether a nonce was seen before.
 *
 * <p>Why forgetting is safe: {@link DatagramSealer} accepts a datagram only if its authenticated
 * sender timestamp {@code t} satisfies {@code |now - t| <= window}. Once {@code now > t + window},
 * every copy of that datagram is rejected as stale before the guard is asked, so its nonce can be
 * dropped. The guard therefore holds only the nonces of the last {@code 2 * window} of sender
 * time, and evicts by sender timestamp (a priority queue ordered by {@code t}), not arrival.
 * The guard keeps a floor, the timestamp at or below which it vouches for nothing: expiry raises
 * it to {@code now - window - 1} and it never falls, so a wall clock stepping backwards cannot
 * make a forgotten nonce acceptable again.
 *
 * <p>Memory is capped at {@code capacity} entries. When a flood of authentic datagrams fills it
 * (an attacker without the key cannot: authentication runs first), the entry with the oldest
 * timestamp is evicted early and the guard raises its floor to that timestamp: from then on any
 * datagram stamped at or before the floor is refused as a possible replay, since the guard can no
 * longer vouch for it. Eviction thus never reopens a replay; under overload it only shortens the
 * window for late, reordered datagrams, which the membership protocol tolerates as loss.
 *
 * <p>Not thread-safe: owned by one {@link DatagramSealer}, used from one thread. Time is passed
 * in; the guard reads no clock.
 */
final class ReplayGuard {

    /** A 96-bit nonce as a hashable value. */
    record Nonce(long high, int low) {}

    private record Entry(long timestampMillis, Nonce nonce) {}

    private final long windowMillis;
    private final int capacity;
    private final Set<Nonce> seen = new HashSet<>();
    private final PriorityQueue<Entry> byTimestamp =
            new PriorityQueue<>((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
    private long floorMillis = Long.MIN_VALUE;

    ReplayGuard(long windowMillis, int capacity) {
        if (windowMillis <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("window and capacity must be positive");
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /**
     * Records {@code nonce} if it is new; the caller has already checked that
     * {@code timestampMillis} is within the window of {@code nowMillis}.
     *
     * @return true if the datagram is first seen and now remembered, false if it may be a replay
     */
    boolean firstSeen(Nonce nonce, long timestampMillis, long nowMillis) {
        expire(nowMillis);
        if (timestampMillis <= floorMillis || seen.contains(nonce)) {
            return false;
        }
        if (seen.size() >= capacity) {
            Entry oldest = byTimestamp.peek();
            if (timestampMillis <= oldest.timestampMillis()) {
                return false; // it would be the first to go: the guard cannot vouch for it
            }
            byTimestamp.remove();
            seen.remove(oldest.nonce());
            floorMillis = Math.max(floorMillis, oldest.timestampMillis());
        }
        seen.add(nonce);
        byTimestamp.add(new Entry(timestampMillis, nonce));
        return true;
    }

    int size() {
        return seen.size();
    }

    /**
     * Forgets nonces stamped before {@code now - window} and raises the floor to match, so that
     * even if the clock later steps back, a forgotten nonce is never vouched for again.
     */
    private void expire(long nowMillis) {
        long belowWindow = nowMillis > Long.MIN_VALUE + windowMillis ? nowMillis - windowMillis - 1 : Long.MIN_VALUE;
        floorMillis = Math.max(floorMillis, belowWindow);
        while (!byTimestamp.isEmpty() && byTimestamp.peek().timestampMillis() <= floorMillis) {
            seen.remove(byTimestamp.remove().nonce());
        }
    }
}
