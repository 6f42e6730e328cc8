package io.iridium.consensus.group;

/** How fresh a read of a group's state must be. */
public enum Consistency {
    /**
     * Reflects every write acknowledged before the read began: served after a ReadIndex round
     * confirms the leader and the serving member has applied up to it. The default.
     */
    LINEARIZABLE,
    /** Served at once from whichever member received it: fast, possibly behind. */
    STALE,
    /**
     * Linearizable under a clock assumption, without a round trip: the leader answers from its
     * lease, which holds while a quorum acknowledged a heartbeat less than
     * {@code electionTicks - maxClockDriftTicks} of the leader's ticks ago (a follower that heard
     * from a leader refuses to vote for another for a full election timeout, so no other leader
     * can exist meanwhile). When the lease has lapsed the read falls back to a ReadIndex round.
     *
     * <p>Clock assumption: members' tick clocks drift apart by less than
     * {@code maxClockDriftTicks} per election timeout, i.e. the lease is shorter than the
     * election timeout by the drift margin. A leader whose process pauses (a long GC pause, a
     * stopped VM) counts as a clock running slow and may serve a stale value after it resumes;
     * choose {@link #LINEARIZABLE} where that risk is unacceptable. Opt-in, per read.
     */
    LEASE
}
