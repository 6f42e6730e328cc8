package io.iridium.consensus.group;

/** How fresh a read of a group's state must be. */
public enum Consistency {
    /**
     * Reflects every write acknowledged before the read began: served after a ReadIndex round
     * confirms the leader and the serving member has applied up to it. The default.
     */
    LINEARIZABLE,
    /** Served at once from whichever member received it: fast, possibly behind. */
    STALE
}
