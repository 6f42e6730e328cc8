package io.iridium.relay;

import io.iridium.Node;
import io.iridium.relay.server.RelayListener;
import java.net.InetSocketAddress;

/**
 * Serves Iris's relay protocol (v1.0-draft2) on a node, so that programs written against the Iris
 * bindings (Go, Java, Erlang) — or {@link io.iridium.relay.client.IrisConnection} — use the node
 * over a local socket.
 *
 * <p>Each connection maps onto the node's public API: one that registers a cluster becomes a member
 * of it (several connections of one cluster share one node service, within
 * {@link RelayConfig#serviceLimits()}), subscriptions and publishes go through the fabric, and
 * every connection may request, broadcast, publish and open tunnels. Packets of one connection take
 * effect in the order they were sent. A connection that breaks the protocol, or does not finish its
 * handshake within {@link RelayConfig#handshakeTimeout()}, is closed with a logged reason; the node
 * and other connections are unaffected.
 *
 * <p>Thread-safe. Closing the server drops every relay connection; it does not close the node.
 */
public final class RelayServer implements AutoCloseable {
    private final RelayListener listener;

    private RelayServer(RelayListener listener) {
        this.listener = listener;
    }

    /**
     * Starts listening on {@code config.address()}.
     *
     * @throws RelayBindException when the address cannot be bound (the port is taken, say)
     */
    public static RelayServer start(Node node, RelayConfig config) {
        return new RelayServer(RelayListener.bind(node, config));
    }

    /** The address listened on (with the actual port when port 0 was asked for). */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** The IPv6 loopback address also listened on ({@code [::1]}, same port), when the host has one. */
    public java.util.Optional<InetSocketAddress> ipv6Address() {
        return listener.ipv6Address();
    }

    /** Stops listening and drops every relay connection. Idempotent. */
    @Override
    public void close() {
        listener.close();
    }
}
