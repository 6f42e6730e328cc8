package io.iridium.consensus.raft;

import java.util.ArrayDeque;

/**
 * The leader's view of one follower (etcd-io/raft's {@code Progress}).
 *
 * <pre>
 *        reject / heartbeat ack with no progress
 *   ┌──────────────────────────────────────────┐
 *   ▼                      ack                 │
 *  PROBE ───────────────────────────────────► REPLICATE   (pipelined, up to maxInflight appends)
 *   │  ▲ snapshot done                         │
 *   │  └───────────── SNAPSHOT ◄───────────────┘ needed entries compacted
 *   └───────────────────► ▲
 * </pre>
 *
 * <p>Invariants: {@code match < next}; in PROBE at most one append is outstanding
 * ({@code probeSent}); in REPLICATE {@code inflight} holds the last index of each unacknowledged
 * append, in increasing order; in SNAPSHOT nothing but snapshot chunks is sent.
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    long match;
    long next;
    State state = State.PROBE;
    boolean probeSent;
    boolean recentActive;
    long pendingSnapshot;
    long snapshotOffset;
    long ackedRound;
    long ackedTick = Long.MIN_VALUE;
    /** The leader's tick when it last sent this follower an append (entries or not). */
    long lastAppendTick = Long.MIN_VALUE;
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();
    private final int maxInflight;

    Progress(long next, int maxInflight) {
        this.next = next;
        this.maxInflight = maxInflight;
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflight.size() >= maxInflight;
            case SNAPSHOT -> true;
        };
    }

    void becomeProbe() {
        if (state == State.SNAPSHOT) {
            next = Math.max(match + 1, pendingSnapshot + 1);
        } else {
            next = match + 1;
        }
        reset(State.PROBE);
    }

    void becomeReplicate() {
        next = match + 1;
        reset(State.REPLICATE);
    }

    void becomeSnapshot(long index) {
        reset(State.SNAPSHOT);
        pendingSnapshot = index;
        snapshotOffset = 0;
    }

    private void reset(State newState) {
        state = newState;
        probeSent = false;
        pendingSnapshot = 0;
        inflight.clear();
    }

    /** An acknowledgement of {@code index}; returns whether it told the leader anything new. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** A rejection of {@code rejected}; returns false when the rejection is stale. */
    boolean maybeDecrTo(long rejected, long hint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, hint + 1), match + 1);
        probeSent = false;
        return true;
    }

    void sentEntries(long last) {
        switch (state) {
            case REPLICATE -> {
                next = last + 1;
                inflight.addLast(last);
            }
            case PROBE -> probeSent = true;
            case SNAPSHOT -> throw new IllegalStateException("append while sending a snapshot");
        }
    }

    void freeTo(long index) {
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.pollFirst();
        }
    }

    void freeFirst() {
        inflight.pollFirst();
    }

    boolean inflightFull() {
        return inflight.size() >= maxInflight;
    }
}
