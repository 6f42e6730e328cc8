/**
 * Replication of CRDT values across a replica set, which is an Iridium cluster.
 *
 * <p>{@link io.iridium.data.replication.Replicas#join} makes a node a replica of a cluster and
 * hands out typed handles ({@code counter(key)}, {@code orSet(key)}, {@code register(key)},
 * {@code map(key)}, {@code sequence(key)}, ...). Updates apply locally at once and spread as
 * batched deltas by broadcast; periodic anti-entropy between random replicas (digests first,
 * then only the keys that differ) heals lost messages, partitions and new replicas; reads and
 * writes take a {@link io.iridium.data.replication.Consistency} level. Replicas may persist to a
 * data directory ({@link io.iridium.data.replication.FileReplicaStorage}).
 *
 * <p>The protocol is {@link io.iridium.data.replication.ReplicaCore}, a sans-I/O state machine;
 * {@code Replicas} is its runtime driver over the public {@link io.iridium.Node} API, and the
 * test kit's simulator drives the same core under loss, duplication, reordering, partitions,
 * crashes and restarts.
 */
package io.iridium.data.replication;
