package io.iridium;

/**
 * Where a member stands in the failure detector's eyes.
 *
 * <pre>
 *   ALIVE ──(probe fails)──▶ SUSPECT ──(timeout)──▶ DEAD
 *     ▲                         │                     │
 *     └──(refuted: the member raises its incarnation)──┘
 *   ALIVE ──(graceful shutdown)──▶ LEFT
 * </pre>
 */
public enum MemberState {
    /** Answering probes, directly or through others. */
    ALIVE,
    /** A probe failed; the member has until its suspicion timeout to refute. */
    SUSPECT,
    /**
     * Declared failed. A process that was only cut off (a healed partition) learns of the
     * verdict and refutes it with a higher incarnation; a restarted process is a new identity.
     */
    DEAD,
    /** Announced a graceful departure. */
    LEFT;

    /** Whether a member in this state still counts as part of the network. */
    public boolean isLive() {
        return this == ALIVE || this == SUSPECT;
    }
}
