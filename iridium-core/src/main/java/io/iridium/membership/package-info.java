/**
 * SWIM membership with Lifeguard's refinements, as a sans-I/O protocol core.
 *
 * <p>{@link io.iridium.membership.Swim} is the single entry point: a driver (the Netty runtime
 * or the simulator in {@code iridium-testkit}) calls {@code tick()} on a timer and
 * {@code receive(...)} for every decoded datagram, and transmits whatever the core puts into
 * its {@link io.iridium.env.Outbox}. {@link io.iridium.membership.SwimCodec} turns
 * {@link io.iridium.membership.SwimMessage}s into datagram payloads and back, validating every
 * field it reads. Nothing in this package does I/O, reads a clock, or creates randomness of its
 * own: time and random choices come from the injected {@link io.iridium.env.Environment}.
 *
 * <p>The protocol follows HashiCorp memberlist (itself SWIM plus Lifeguard): randomized
 * round-robin probing, indirect probes with nacks, suspicion with incarnation numbers and
 * refutation, a suspicion timeout that shrinks with independent confirmations, local-health
 * scaling of probe intervals and timeouts, gossip piggybacked on every probe datagram with a
 * retransmission limit, and periodic full-state push-pull (plus "reconnect" push-pulls with
 * recently dead members so that the halves of a healed partition find each other).
 */
package io.iridium.membership;
