package io.iridium.transport;

/**
 * What became of a message handed to {@link PeerConnections#send}. Back-pressure is a value, not
 * an exception: the caller decides whether to wait, shed or fail its own caller.
 */
public enum SendResult {
    /** Written to the connection or queued while it opens; delivery is still not guaranteed. */
    QUEUED,
    /** The peer's outbound queue is full: the peer or the network is slower than the sender. */
    BACK_PRESSURE,
    /** The transport is closed, or the peer is unknown or not reachable. */
    CLOSED
}
