/**
 * A deterministic, single-threaded simulator: virtual time, a simulated datagram network and
 * per-node clocks, all driven by one seed.
 *
 * <p>{@link io.iridium.testkit.sim.Simulation} owns a queue of events ordered by virtual time
 * and then by insertion, one {@link java.util.SplittableRandom} seeded from a {@code long} (each
 * node's generator is split from it in a fixed order), and the network: latency (a base plus
 * exponential jitter), loss, duplication, reordering and partitions, applied to the
 * <em>encoded</em> bytes of every datagram. A {@link io.iridium.testkit.sim.SimNode} hosts any
 * number of protocol cores, installed by a {@link io.iridium.testkit.sim.NodeSetup} through a
 * {@link io.iridium.testkit.sim.NodeContext}: each core gets an environment (virtual time plus
 * the node's skew, and the node's generator), outboxes that encode and send, a tick, and the
 * datagrams addressed to its channel. Crashing a node discards its cores; restarting installs
 * fresh ones under a new identity at the same address.
 *
 * <p>Running one seed twice produces the identical {@link io.iridium.testkit.sim.Trace}.
 */
package io.iridium.testkit.sim;
