package io.iridium.data.crdt;

import io.iridium.data.clock.HlcTimestamp;

/**
 * A value that carries hybrid-logical-clock timestamps (last-writer-wins types). The replicator
 * feeds {@link #latestTimestamp()} of every state it merges from another replica into its own
 * clock, so that any later local write is stamped after every write this replica has seen, and
 * a write made here after reading a value always supersedes it (within the clock's maximum
 * accepted skew).
 */
public interface HlcStamped {

    /** The greatest timestamp this value holds, {@link HlcTimestamp#ZERO} if none. */
    HlcTimestamp latestTimestamp();
}
