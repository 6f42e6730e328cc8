/**
 * The relay server's implementation: a {@link io.iridium.relay.server.RelaySession} per connection,
 * a single-threaded state machine that maps the protocol onto the public {@link io.iridium.Node}
 * API, driven by a thin Netty adapter ({@link io.iridium.relay.server.RelayConnection}) that feeds
 * it decoded frames and carries its output.
 *
 * <pre>
 *   socket ─▶ RelayConnection ─bytes▶ RelayDecoder ─ClientFrame▶ RelaySession ─▶ Node (publish, request, ...)
 *   socket ◀─ RelayConnection ◀─RelayFrame── RelaySession ◀─ posted by handler threads (requests, events, tunnels)
 * </pre>
 *
 * <p>Everything a session owns is touched only on its connection's event loop; node callbacks
 * (service handlers, topic handlers, tunnel pumps) run on virtual threads and post into that loop,
 * so a connection's packets take effect in the order it sent them, where the reference relay's
 * worker pool reorders them.
 */
package io.iridium.relay.server;
