package io.iridium.data.clock;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni, Demirbas, Madappa, Avva, Leone 2014): timestamps that are
 * close to physical time, yet strictly increasing at each node and consistent with causality
 * across nodes, whatever the wall clocks do.
 *
 * <p><b>Algorithm.</b> The clock holds the last timestamp {@code (l, c)} it issued. With
 * {@code pt} the physical time read from the injected supplier:
 * <pre>
 *   now():          l' = max(l, pt);             c' = (l' == l) ? c + 1 : 0
 *   update(m):      if m.l - pt &gt; maxSkew: reject, unchanged
 *                   l' = max(l, m.l, pt);        c' = l' == l == m.l ? max(c, m.c) + 1
 *                                                     : l' == l      ? c + 1
 *                                                     : l' == m.l    ? m.c + 1
 *                                                     :                0
 * </pre>
 * If the logical counter would overflow, the physical part advances by one millisecond instead
 * (a bounded, practically unreachable extra drift).
 *
 * <p><b>Invariants</b> (tested with injected backwards jumps):
 * <ul>
 *   <li><b>monotonic:</b> every timestamp issued, by {@link #now()} or an accepted
 *       {@link #update}, is strictly greater than every earlier one, and an accepted update's
 *       result is strictly greater than the remote timestamp;
 *   <li><b>tolerant of a backwards wall clock:</b> when the supplier goes back, the physical
 *       part holds and the logical counter advances, so order is kept; the physical part
 *       follows the wall clock again once it catches up;
 *   <li><b>bounded drift:</b> the physical part never exceeds the highest physical time this
 *       clock has read by more than {@code maxSkewMillis}, because remote timestamps further
 *       ahead of the local physical time than that are refused ({@link HlcUpdate.Rejected});
 *       a single peer with a runaway clock therefore cannot drag the cluster's timestamps into
 *       the future.
 * </ul>
 *
 * <p><b>Time.</b> The clock never reads the system clock: the runtime passes
 * {@code System::currentTimeMillis}, the simulator a virtual, skewable clock.
 *
 * <p><b>Threading.</b> Safe for concurrent use: every method is synchronized, so
 * timestamps stay unique and increasing when several threads write through one clock.
 */
public final class HybridLogicalClock {

    private final LongSupplier physicalMillis;
    private final long maxSkewMillis;
    private HlcTimestamp last;

    /**
     * A clock starting from nothing.
     *
     * @param physicalMillis the physical clock, milliseconds since the epoch (negative readings
     *                       count as 0)
     * @param maxSkewMillis  how far ahead of local physical time a remote timestamp may be and
     *                       still be accepted; at least 0
     */
    public HybridLogicalClock(LongSupplier physicalMillis, long maxSkewMillis) {
        this(physicalMillis, maxSkewMillis, HlcTimestamp.ZERO);
    }

    /**
     * A clock resuming after {@code lastIssued}, for example the highest timestamp a replica
     * persisted before a restart: it never issues that timestamp or anything before it again.
     *
     * @throws IllegalArgumentException if {@code maxSkewMillis} is negative
     */
    public HybridLogicalClock(LongSupplier physicalMillis, long maxSkewMillis, HlcTimestamp lastIssued) {
        this.physicalMillis = Objects.requireNonNull(physicalMillis, "physicalMillis");
        if (maxSkewMillis < 0) {
            throw new IllegalArgumentException("maxSkewMillis must be at least 0: " + maxSkewMillis);
        }
        this.maxSkewMillis = maxSkewMillis;
        this.last = Objects.requireNonNull(lastIssued, "lastIssued");
    }

    /** The configured maximum accepted skew, in milliseconds. */
    public long maxSkewMillis() {
        return maxSkewMillis;
    }

    /** The last timestamp issued (or the starting one), without advancing the clock. */
    public synchronized HlcTimestamp current() {
        return last;
    }

    /** A new timestamp for a local event or an outgoing message: greater than all before it. */
    public synchronized HlcTimestamp now() {
        long physical = physical();
        if (physical > last.wallTime()) {
            last = new HlcTimestamp(physical, 0);
        } else {
            last = successor(last.wallTime(), last.logical());
        }
        return last;
    }

    /**
     * Takes in a timestamp received from another node: either moves this clock past it and
     * returns {@link HlcUpdate.Accepted} with the new timestamp, or, if the remote wall time is
     * more than {@link #maxSkewMillis()} ahead of local physical time, leaves the clock
     * unchanged and returns {@link HlcUpdate.Rejected}.
     */
    public synchronized HlcUpdate update(HlcTimestamp remote) {
        Objects.requireNonNull(remote, "remote");
        long physical = physical();
        long ahead = remote.wallTime() - physical;
        if (ahead > maxSkewMillis) {
            return new HlcUpdate.Rejected(remote, physical, ahead, maxSkewMillis);
        }
        long wall = Math.max(Math.max(last.wallTime(), remote.wallTime()), physical);
        if (wall == last.wallTime() && wall == remote.wallTime()) {
            last = successor(wall, Math.max(last.logical(), remote.logical()));
        } else if (wall == last.wallTime()) {
            last = successor(wall, last.logical());
        } else if (wall == remote.wallTime()) {
            last = successor(wall, remote.logical());
        } else {
            last = new HlcTimestamp(wall, 0);
        }
        return new HlcUpdate.Accepted(last);
    }

    private long physical() {
        return Math.max(0, physicalMillis.getAsLong());
    }

    private static HlcTimestamp successor(long wall, int logical) {
        if (logical == Integer.MAX_VALUE) {
            return new HlcTimestamp(Math.addExact(wall, 1), 0);
        }
        return new HlcTimestamp(wall, logical + 1);
    }

    @Override
    public String toString() {
        return "HybridLogicalClock{last=" + current() + ", maxSkewMillis=" + maxSkewMillis + "}";
    }
}
