package io.iridium.env;

import io.iridium.Endpoint;

/**
 * Where a protocol core puts the messages it wants sent. The driver encodes and transmits them
 * (the runtime over sealed UDP datagrams, the simulator through its simulated network). Sending
 * is fire-and-forget: delivery is never guaranteed, and the core must not assume it.
 *
 * @param <M> the protocol's message type
 */
@FunctionalInterface
public interface Outbox<M> {

    /** Queues {@code message} for {@code to}. Never blocks, never throws for network reasons. */
    void send(Endpoint to, M message);
}
