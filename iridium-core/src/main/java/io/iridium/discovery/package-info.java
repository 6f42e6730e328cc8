/**
 * Discovery: how a node finds its network with no configuration.
 *
 * <p>One pure core and three thin sources. {@link io.iridium.discovery.Discovery} is a sans-I/O
 * state machine (time and randomness from an {@link io.iridium.env.Environment}) that keeps a
 * bounded table of candidate addresses and asks the membership layer to join each one that is
 * not already a live member, with per-candidate exponential back-off and jitter. The sources
 * only feed it candidates:
 *
 * <pre>
 *   seeds (--join)                        ──┐ addCandidates(SEED, …)
 *   DnsSeedResolver  (A, AAAA, SRV; 30 s) ──┤ addCandidates(DNS, …)
 *   LoopbackRange    (dev mode)           ──┤ addCandidates(LOOPBACK, …)
 *   MulticastBeacons (sealed LAN beacons) ──┤ onBeacon(beacon)
 *                                           ▼
 *                                       Discovery ──tick()──▶ Joiner.join(endpoint)
 * </pre>
 *
 * <p>Seed and DNS candidates are retried for ever (at most every 30 s by default), so a node
 * that started before its seeds still joins, and a node cut off by a partition rejoins.
 * Multicast and loopback candidates expire unless re-announced. Beacons
 * ({@link io.iridium.discovery.Beacon}, encoded by {@link io.iridium.discovery.BeaconCodec})
 * carry only an advertised endpoint and a random per-process instance id, and travel sealed by a
 * {@link io.iridium.discovery.DatagramSeal}, so they reveal neither the network's name nor
 * anything to a host without the network key.
 *
 * <p>Threading: {@code Discovery} is single-threaded and belongs to the node's protocol loop.
 * {@link io.iridium.discovery.DnsSeedResolver} and {@link io.iridium.discovery.MulticastBeacons}
 * deliver on their own threads; the runtime hands their results to the protocol loop.
 */
package io.iridium.discovery;
