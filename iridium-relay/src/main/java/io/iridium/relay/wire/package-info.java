/**
 * The Iris relay protocol's bytes (v1.0-draft2), with no I/O: frame records for each direction
 * ({@link io.iridium.relay.wire.ClientFrame} client to relay, {@link io.iridium.relay.wire.RelayFrame}
 * relay to client), an encoder that writes them to a {@link io.iridium.relay.wire.ByteSink}, and an
 * incremental {@link io.iridium.relay.wire.RelayDecoder} that is fed bytes in any pieces and yields
 * whole frames or a {@link io.iridium.relay.wire.RelayProtocolException}.
 *
 * <p>A packet is a one-octet opcode followed by that opcode's self-delimiting fields; there is no
 * length prefix, so the decoder parses every field to find the next packet. Every length read from
 * the wire is checked against a {@link io.iridium.relay.wire.WireLimits} bound before anything is
 * allocated for it.
 */
package io.iridium.relay.wire;
