/**
 * Durable storage for a Raft node: a segmented write-ahead log of entries
 * ({@link io.iridium.consensus.log.SegmentedLog}), the term and vote
 * ({@link io.iridium.consensus.log.HardStateFile}), snapshots
 * ({@link io.iridium.consensus.log.SnapshotStore}), and {@link io.iridium.consensus.log.DiskStorage}
 * that ties them to a {@link io.iridium.consensus.raft.Ready}.
 *
 * <p>Every record carries a CRC32C. Nothing is acknowledged before it is fsynced. On open, a torn
 * tail (the last write cut short by a crash) is truncated; corruption anywhere else is reported
 * with {@link io.iridium.consensus.log.CorruptLogException} and the node refuses to start rather
 * than serve a log it cannot trust. Small files are replaced atomically: write a temporary file,
 * fsync it, rename it over the old one, fsync the directory.
 *
 * <p>These classes do blocking I/O and belong to the runtime driver, never to the Raft core.
 */
package io.iridium.consensus.log;
