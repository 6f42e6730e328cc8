/**
 * Iris's relay protocol (v1.0-draft2) on an Iridium node: a server that lets programs written
 * against the Iris bindings attach to a local node over a loopback socket, and a Java client
 * for the same protocol.
 *
 * <ul>
 *   <li>{@link io.iridium.relay.RelayServer} with {@link io.iridium.relay.RelayConfig}: the server,
 *       started on a running {@link io.iridium.Node} (the CLI's {@code iridium node --relay}).</li>
 *   <li>{@link io.iridium.relay.client.IrisConnection}: the Java client, with Iris's connection API.</li>
 *   <li>{@code io.iridium.relay.wire}: the protocol's bytes, sans I/O (frames, encoder, incremental
 *       decoder with every length bounded).</li>
 *   <li>{@code io.iridium.relay.server}: one state machine per connection mapped onto the node's
 *       public API, and its Netty driver.</li>
 *   <li>{@code io.iridium.relay.bench}: the benchmark run by {@code bin/bench-relay}.</li>
 * </ul>
 */
package io.iridium.relay;
