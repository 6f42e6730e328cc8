/**
 * Conflict-free replicated data types: immutable values with a {@code merge} that is
 * commutative, associative and idempotent, so replicas converge whatever order, loss or
 * duplication their messages suffer.
 *
 * <table>
 *   <caption>The types</caption>
 *   <tr><th>type</th><th>what it is</th><th>metadata</th></tr>
 *   <tr><td>{@link io.iridium.data.crdt.GCounter}</td><td>grow-only counter</td>
 *       <td>one entry per live replica; departed ones retired into an heir</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.PnCounter}</td><td>counter up and down</td>
 *       <td>two G-Counters</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.GSet}</td><td>grow-only set</td><td>none</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.TwoPhaseSet}</td><td>set, remove is forever</td>
 *       <td>a tombstone per removed element</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.OrSet}</td><td>set, add-wins, re-addable</td>
 *       <td>dots per present element + a compact causal context; no tombstones</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.LwwRegister}</td><td>register, last writer wins</td>
 *       <td>an HLC timestamp and the writer</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.MvRegister}</td><td>register keeping concurrent values</td>
 *       <td>a dot per sibling + a causal context</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.OrMap}</td><td>map of nested causal CRDTs, remove resets</td>
 *       <td>one shared causal context</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.LwwMap}</td><td>map, last writer wins per key</td>
 *       <td>a stamp per key, tombstones for removals</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.EnableWinsFlag}</td><td>boolean, enable wins</td>
 *       <td>dots + a causal context</td></tr>
 *   <tr><td>{@link io.iridium.data.crdt.Rga}</td><td>sequence for collaborative lists and text</td>
 *       <td>an id and parent per element, tombstones for deletions</td></tr>
 * </table>
 *
 * <p><b>Deltas.</b> Every mutator returns a delta — a value of the same type holding only the
 * change — and {@code state.merge(delta)} applies it (delta-state CRDTs, Almeida, Shoker and
 * Baquero 2018). Deltas join into batches with {@code merge} too, and merging every delta of a
 * replica gives the same state as merging its full state (tested for every type).
 *
 * <p><b>Identity.</b> Mutators that create events take the acting replica's
 * {@link io.iridium.data.ReplicaId}; call them only on that replica's own state, since each
 * replica's counters and dots have a single writer.
 *
 * <p><b>Encoding.</b> Each type has a canonical binary {@link io.iridium.data.Codec}
 * ({@code codec()}, or {@code codec(elementCodec)} for generic types); type tags are listed in
 * {@code Encoding}. Decoders validate every invariant and fail only with
 * {@link io.iridium.data.CorruptDataException}.
 *
 * <p><b>Threading.</b> All values are immutable and safe to share between threads.
 */
package io.iridium.data.crdt;
