/**
 * A versioned key-value store with causal histories and application-level conflict resolution,
 * Dynamo/Riak-style, on top of the replicator.
 *
 * <p>{@link io.iridium.data.versioned.VersionedStore#get} returns a key's values (siblings) with a
 * causal context; {@link io.iridium.data.versioned.VersionedStore#put} writes a value with the
 * context the writer last saw, replacing exactly what it saw. Concurrent writes become siblings,
 * tracked by dotted version vectors (one dot per sibling), so siblings never explode: there are
 * never more than the truly concurrent writes. A pluggable
 * {@link io.iridium.data.versioned.SiblingResolver} decides a canonical value, or the store
 * resolves by last-writer-wins on request and reports which values that discarded
 * ({@link io.iridium.data.versioned.LwwResolution}).
 */
package io.iridium.data.versioned;
