package io.iridium.transport;

import io.iridium.NodeId;
import io.iridium.wire.WireMessage;

/**
 * Receives the application frames that arrive on authenticated, handshaken connections. Called on
 * a Netty event loop thread: never block in it.
 */
@FunctionalInterface
public interface InboundListener {

    /** A frame from {@code from}; handshake and keep-alive frames are handled by the transport. */
    void onMessage(NodeId from, WireMessage message);

    /**
     * The connection to {@code peer} closed. Frames written to it and not yet read by the peer
     * may be lost; state that relied on that connection (a tunnel) must end.
     */
    default void onDisconnected(NodeId peer) {}

    /**
     * A connection's read burst ended (Netty's {@code channelReadComplete}), on the event loop
     * thread that delivered its frames: work gathered from those frames may be handed on now, as
     * one batch rather than one hand-off per frame. Follows every burst of {@link #onMessage}.
     */
    default void onReadComplete() {}

    /**
     * Whether the decoders should pack small event bodies into recycled slabs for readers that
     * read events in place; if not, each body is decoded into an array of its own, which handlers
     * take as it is. Asked once per frame on the event loop: it must be cheap.
     */
    default boolean readsEventsInPlace() {
        return false;
    }
}
