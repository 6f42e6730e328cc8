/**
 * A linearizability checker: the Wing–Gong search with Lowe's memoization ("WGL"), run
 * separately on each partition of a history (per key, for a key-value store), as in Knossos and
 * Porcupine.
 *
 * <p>Record a {@link io.iridium.testkit.linearizability.History} of invocations and their
 * outcomes (ok, fail, or info when the outcome is unknown), then ask
 * {@link io.iridium.testkit.linearizability.LinearizabilityChecker} whether some total order of
 * the operations respects real time and the sequential {@link io.iridium.testkit.linearizability.Model}.
 * {@link io.iridium.testkit.linearizability.KvModel} models a map of registers with get, put and
 * compare-and-set.
 */
package io.iridium.testkit.linearizability;
