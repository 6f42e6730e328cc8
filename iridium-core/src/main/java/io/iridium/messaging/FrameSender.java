package io.iridium.messaging;

import io.iridium.NodeId;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;

/**
 * The data plane as the messaging layer sees it: send a frame to a node, either at a routed
 * address or back over the connection a frame came in on. Never blocks; back-pressure is a
 * {@link SendResult}.
 */
public interface FrameSender {

    /** Sends to {@code to}, opening a connection if needed. */
    SendResult send(Target to, WireMessage message);

    /** Sends to a node that has a connection to this one (the sender of a request, say). */
    SendResult reply(NodeId to, WireMessage message);

    /**
     * Whether a connection to {@code node} is open now. A request sent without one also pays for
     * the connection's set-up, so its latency says nothing about the member's load.
     */
    default boolean isConnected(NodeId node) {
        return true;
    }

    /**
     * Keeps the connection to {@code peer} open while idle (heartbeats instead of an idle close)
     * until a matching {@link #unpin}; pins nest. Open tunnels hold one each.
     */
    default void pin(NodeId peer) {}

    /** Releases one {@link #pin} of {@code peer}. */
    default void unpin(NodeId peer) {}
}
