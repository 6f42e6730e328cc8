/**
 * The replicated state machines a Raft group runs: a KV store with compare-and-set and
 * revisions, locks with leases and fencing tokens, and linearizable counters, behind client
 * sessions that make retried commands apply exactly once.
 *
 * <p>Everything here is pure and deterministic: {@link io.iridium.consensus.machine.GroupStateMachine}
 * turns the same sequence of log entries into the same state and the same results on every
 * replica, and snapshots to the same bytes. Time enters only through the log: each
 * {@link io.iridium.consensus.machine.Envelope} carries the timestamp its leader stamped when it
 * proposed it, and the machine's clock is the largest timestamp applied so far, so lease expiry
 * happens at the same log position on every replica and never depends on a replica's own clock.
 *
 * <pre>
 *   log entry data = Envelope(clientId, sequence, leaderTimestamp, Command)
 *        │
 *        ▼
 *   GroupStateMachine.apply ──► clock = max(clock, timestamp) ──► expire leases and sessions
 *        │                                                         │
 *        ├── session says "already applied" ──► the cached Result  │
 *        └── else KvStore | LockTable | CounterTable ──► Result ───┘
 *   reads (Query) bypass the log: served after a ReadIndex, or stale on request
 * </pre>
 */
package io.iridium.consensus.machine;
