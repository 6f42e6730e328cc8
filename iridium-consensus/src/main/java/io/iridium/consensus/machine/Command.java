package io.iridium.consensus.machine;

import java.util.Objects;

/**
 * A write to a group's state: it goes through the log, inside an {@link Envelope}, and every
 * replica applies it at the same position.
 */
public sealed interface Command permits Command.Put, Command.Delete, Command.CompareAndSet, Command.Acquire,
        Command.Release, Command.KeepAlive, Command.Add {

    /** The longest key or lock or counter name accepted, in UTF-8 bytes. */
    int MAX_NAME_BYTES = 4096;

    /**
     * Sets a key.
     *
     * @param key   the key
     * @param value the new value; not copied
     */
    record Put(String key, byte[] value) implements Command {
        /** Validates the fields. */
        public Put {
            Names.check(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Removes a key.
     *
     * @param key the key
     */
    record Delete(String key) implements Command {
        /** Validates the field. */
        public Delete {
            Names.check(key, "key");
        }
    }

    /**
     * Sets a key only when it holds an expected value.
     *
     * @param key      the key
     * @param expected the value required, or {@code null} to require that the key is absent
     * @param value    the new value; not copied
     */
    record CompareAndSet(String key, byte[] expected, byte[] value) implements Command {
        /** Validates the fields. */
        public CompareAndSet {
            Names.check(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Takes a lock for the sending session, or joins its queue of waiters. Repeating it while
     * holding the lock renews the lease; repeating it while waiting keeps the place in the queue.
     *
     * @param lock      the lock's name
     * @param ttlMillis the lease: how long the hold (or the place in the queue) lasts without renewal
     */
    record Acquire(String lock, long ttlMillis) implements Command {
        /** Validates the fields. */
        public Acquire {
            Names.check(lock, "lock");
            if (ttlMillis <= 0) {
                throw new IllegalArgumentException("a lease lasts a positive time, got " + ttlMillis + " ms");
            }
        }
    }

    /**
     * Gives up a lock the sending session holds, or its place in the lock's queue.
     *
     * @param lock the lock's name
     */
    record Release(String lock) implements Command {
        /** Validates the field. */
        public Release {
            Names.check(lock, "lock");
        }
    }

    /** Renews the leases of every lock the sending session holds or waits for. */
    record KeepAlive() implements Command {
    }

    /**
     * Adds to a counter and returns its new value (a counter starts at zero).
     *
     * @param counter the counter's name
     * @param delta   what to add, possibly negative
     */
    record Add(String counter, long delta) implements Command {
        /** Validates the field. */
        public Add {
            Names.check(counter, "counter");
        }
    }
}
