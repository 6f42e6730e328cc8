/**
 * Logical and hybrid clocks: pure values and one small stateful clock.
 *
 * <ul>
 *   <li>{@link io.iridium.data.clock.LamportClock}: a scalar logical clock (Lamport 1978);
 *   <li>{@link io.iridium.data.clock.VectorClock}: one counter per replica, with
 *       {@link io.iridium.data.clock.VectorClock#compare compare} giving a
 *       {@link io.iridium.data.clock.ClockOrder} (before, after, equal, concurrent);
 *   <li>{@link io.iridium.data.clock.Dot}, {@link io.iridium.data.clock.CausalContext} and
 *       {@link io.iridium.data.clock.DottedVersionVector}: event identifiers and sets of them,
 *       the causal metadata of the delta-state CRDTs (Almeida, Shoker, Baquero 2018) and of
 *       sibling-keeping stores (Preguiça et al. 2012);
 *   <li>{@link io.iridium.data.clock.HybridLogicalClock} and
 *       {@link io.iridium.data.clock.HlcTimestamp}: hybrid logical clocks (Kulkarni et al.
 *       2014), the timestamps of last-writer-wins types.
 * </ul>
 *
 * <p>Every value type here is immutable and has a binary {@link io.iridium.data.Codec}
 * ({@code codec()}). The hybrid logical clock never reads the wall clock itself: physical time
 * comes from an injected {@link java.util.function.LongSupplier}, so the simulator can skew it,
 * stop it, or run it backwards.
 *
 * <p>Type tags of the encodings in this package: 0x01 Lamport clock, 0x02 vector clock,
 * 0x03 dot, 0x04 causal context, 0x05 HLC timestamp, 0x06 dotted version vector.
 */
package io.iridium.data.clock;
