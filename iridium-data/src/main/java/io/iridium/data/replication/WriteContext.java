package io.iridium.data.replication;

import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.clock.HlcUpdate;
import io.iridium.data.clock.HybridLogicalClock;

/**
 * What a mutator may use to build its delta: the acting replica's identity (for counters' entries
 * and causal dots) and timestamps from the replica's hybrid logical clock (for last-writer-wins
 * types). Valid only during the update that handed it out.
 */
public final class WriteContext {

    private final ReplicaId replica;
    private final HybridLogicalClock clock;

    WriteContext(ReplicaId replica, HybridLogicalClock clock) {
        this.replica = replica;
        this.clock = clock;
    }

    /** The identity of the replica making the update. */
    public ReplicaId replica() {
        return replica;
    }

    /** A fresh timestamp, after every one this replica issued or accepted before. */
    public HlcTimestamp timestamp() {
        return clock.now();
    }

    /**
     * A fresh timestamp after {@code observed} too (the stamp of the value being overwritten), so
     * that a write always wins over the value it replaced, unless {@code observed} is further
     * ahead than the clock's maximum skew (then it is ignored and the write may lose to it).
     */
    public HlcTimestamp timestampAfter(HlcTimestamp observed) {
        return switch (clock.update(observed)) {
            case HlcUpdate.Accepted accepted -> accepted.timestamp();
            case HlcUpdate.Rejected rejected -> clock.now();
        };
    }
}
