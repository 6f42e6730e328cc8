package io.iridium.data.clock;

import java.util.Objects;

/**
 * What {@link HybridLogicalClock#update(HlcTimestamp)} made of a remote timestamp.
 *
 * <p>A remote timestamp too far ahead of the local physical clock is an expected input — a peer
 * with a broken or malicious clock — not a bug, so it is reported as a value
 * ({@link Rejected}) rather than thrown: the caller decides what to do with the message that
 * carried it (drop it, count it, log the peer) and the compiler makes it handle both cases.
 */
public sealed interface HlcUpdate permits HlcUpdate.Accepted, HlcUpdate.Rejected {

    /**
     * The remote timestamp was within the accepted skew; the clock moved past it.
     *
     * @param timestamp the clock's new timestamp, after both the previous local one and the
     *                  remote one
     */
    record Accepted(HlcTimestamp timestamp) implements HlcUpdate {
        /** Validates the timestamp. */
        public Accepted {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * The remote timestamp was further ahead of local physical time than the clock accepts; the
     * clock did not change.
     *
     * @param remote         the rejected timestamp
     * @param physicalNow    the local physical time when it was rejected, in milliseconds
     * @param aheadByMillis  how far the remote wall time was ahead of {@code physicalNow}
     * @param maxSkewMillis  the configured maximum accepted skew
     */
    record Rejected(HlcTimestamp remote, long physicalNow, long aheadByMillis, long maxSkewMillis)
            implements HlcUpdate {
        /** Validates the remote timestamp. */
        public Rejected {
            Objects.requireNonNull(remote, "remote");
        }
    }
}
