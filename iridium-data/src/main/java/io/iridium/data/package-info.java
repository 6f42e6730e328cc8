/**
 * Replicated shared data: what the clock and CRDT packages share.
 *
 * <ul>
 *   <li>{@link io.iridium.data.ReplicaId}: the identity of one replica (one node incarnation);
 *   <li>{@link io.iridium.data.Codec}, {@link io.iridium.data.DataWriter} and
 *       {@link io.iridium.data.DataReader}: the compact binary encoding every clock and CRDT
 *       value has, used by the replicator to ship deltas and states;
 *   <li>{@link io.iridium.data.CorruptDataException}: what a decoder throws on bad input.
 * </ul>
 *
 * <p>Clocks live in {@link io.iridium.data.clock}, CRDT values in {@link io.iridium.data.crdt}.
 * Everything here is pure: no I/O, no threads, no wall clock, no randomness.
 */
package io.iridium.data;
