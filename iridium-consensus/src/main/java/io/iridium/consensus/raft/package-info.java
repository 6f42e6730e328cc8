/**
 * A sans-I/O Raft core in the style of etcd-io/raft.
 *
 * <p>{@link io.iridium.consensus.raft.RaftNode} is a single-threaded state machine: the driver
 * feeds it {@link io.iridium.consensus.raft.RaftMessage messages}, {@code tick()}s and proposals,
 * then drains a {@link io.iridium.consensus.raft.Ready} and acknowledges it with
 * {@code advance}. The core never touches a clock, a socket, a thread or a file; time is counted
 * in ticks and the only randomness (the election timeout) comes from an injected, seeded
 * {@link java.util.random.RandomGenerator}.
 *
 * <pre>
 *   driver loop (one thread)
 *   ┌──────────────────────────────────────────────────────────────────┐
 *   │ step(msg) / tick() / propose(..) / readIndex(..)                  │
 *   │ while hasReady():                                                 │
 *   │   rd = ready()                                                    │
 *   │   1. persist rd.hardState, rd.snapshot, rd.entries  → fsync       │
 *   │   2. send rd.messages                                             │
 *   │   3. apply rd.snapshot then rd.committedEntries; serve readStates │
 *   │   advance(rd)                                                     │
 *   └──────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Implemented: leader election with randomized timeouts, pre-vote, check-quorum, log
 * replication with conflict-term back-off, commitment by counting only for current-term entries
 * (Raft paper, Figure 8), leader transfer ({@code TimeoutNow}), single-server membership changes
 * with the leader's own-term commit barrier, learners, snapshots installed in chunks, ReadIndex
 * and lease reads, batched and pipelined appends.
 */
package io.iridium.consensus.raft;
