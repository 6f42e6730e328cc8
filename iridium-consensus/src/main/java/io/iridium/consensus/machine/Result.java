package io.iridium.consensus.machine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a {@link Command} or a {@link Query} returned; expected refusals are results too. */
public sealed interface Result permits Result.Written, Result.Deleted, Result.Swapped, Result.Found, Result.Listed,
        Result.Granted, Result.Queued, Result.Released, Result.Renewed, Result.Count, Result.LockHeld,
        Result.Rejected {

    /**
     * A put took effect.
     *
     * @param revision the store revision it created
     */
    record Written(long revision) implements Result {
    }

    /**
     * A delete was applied.
     *
     * @param existed  whether the key was there
     * @param revision the store revision after it (a new one only when the key existed)
     */
    record Deleted(boolean existed, long revision) implements Result {
    }

    /**
     * A compare-and-set was applied.
     *
     * @param swapped  whether the key held the expected value and now holds the new one
     * @param revision the store revision after it
     */
    record Swapped(boolean swapped, long revision) implements Result {
    }

    /**
     * A key read.
     *
     * @param entry    the key's value and revisions, or empty when absent
     * @param revision the store revision the read saw
     */
    record Found(Optional<KeyValue> entry, long revision) implements Result {
        /** Validates the field. */
        public Found {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * A range read.
     *
     * @param entries  the keys found, in key order
     * @param more     whether more keys matched than the limit allowed
     * @param revision the store revision the read saw
     */
    record Listed(List<KeyValue> entries, boolean more, long revision) implements Result {
        /** Copies the list. */
        public Listed {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The session holds the lock.
     *
     * @param token     the fencing token of this acquisition: larger than every token granted before
     * @param expiresAt the log time (milliseconds) when the lease ends unless renewed
     */
    record Granted(long token, long expiresAt) implements Result {
    }

    /**
     * The lock is held by another session; this one waits in line.
     *
     * @param position its place among the waiters, from 1
     */
    record Queued(int position) implements Result {
    }

    /**
     * A release was applied.
     *
     * @param held whether the session held the lock (false: it only left the queue, or had nothing)
     */
    record Released(boolean held) implements Result {
    }

    /**
     * A keep-alive was applied.
     *
     * @param leases how many holds and places in queues it renewed
     */
    record Renewed(int leases) implements Result {
    }

    /**
     * A counter's value.
     *
     * @param value the value after the command (or at the read)
     */
    record Count(long value) implements Result {
    }

    /**
     * Who holds a lock.
     *
     * @param holder    the holding session's client id, or empty when free
     * @param token     the holder's fencing token (0 when free)
     * @param expiresAt when its lease ends, in log time (0 when free)
     * @param waiters   how many sessions wait
     */
    record LockHeld(Optional<Long> holder, long token, long expiresAt, int waiters) implements Result {
        /** Validates the field. */
        public LockHeld {
            Objects.requireNonNull(holder, "holder");
        }
    }

    /**
     * The command was refused without effect.
     *
     * @param reason why, for people
     */
    record Rejected(String reason) implements Result {
        /** Validates the field. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
