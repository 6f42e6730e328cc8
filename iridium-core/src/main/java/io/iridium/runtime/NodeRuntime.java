package io.iridium.runtime;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Node;
import io.iridium.NodeId;
import io.iridium.transport.PeerConnections;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;

/**
 * A node running on Netty: the protocol cores (SWIM, discovery) on one event loop, sealed
 * membership datagrams and TLS data-plane connections on the same port. {@link #start} is what
 * {@link io.iridium.Iridium#start} calls.
 *
 * <p>Beyond {@link Node}, it offers what tests, the demonstration and the layers above
 * membership need: crashing without a goodbye, and the data-plane transport.
 */
public abstract sealed class NodeRuntime implements Node permits RunningNode {

    NodeRuntime() {}

    /**
     * Starts a node as {@link io.iridium.Iridium#start} documents.
     */
    public static NodeRuntime start(Config config) {
        return RunningNode.boot(config);
    }

    /**
     * Stops the node abruptly, as a crash would: no departure is announced, sockets close, and the
     * rest of the network must detect the failure. For tests and the demonstration.
     */
    public abstract void crash();

    /** The data-plane transport, for the messaging layer and tests. */
    public abstract PeerConnections connections();

    /**
     * Sends an application frame to a live member over the data plane.
     *
     * @return {@link SendResult#CLOSED} when {@code member} is not a live member
     */
    public abstract SendResult send(NodeId member, WireMessage message);

    /**
     * Registers a listener for application frames arriving over the data plane (until the
     * messaging layer owns them).
     *
     * @return a handle whose {@code close()} removes the listener
     */
    public abstract AutoCloseable onFrame(io.iridium.transport.InboundListener listener);

    /** The routing registry's current snapshot: clusters, their members, topic patterns. */
    public abstract io.iridium.routing.Routes routes();

    /**
     * Whether this node's routing registry holds everything a live member had when they last
     * compared notes (or there is nobody to compare with yet).
     */
    public abstract boolean isRoutingSynced();

    /** This node's identity. */
    public abstract NodeId id();

    /** The address datagrams and connections use. */
    @Override
    public abstract Endpoint address();
}
