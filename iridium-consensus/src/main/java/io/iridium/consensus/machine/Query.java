package io.iridium.consensus.machine;

/**
 * A read of a group's state. Reads do not go through the log: a linearizable read is served once
 * the replica has applied a confirmed read index, a stale read at once from the local state.
 */
public sealed interface Query permits Query.Get, Query.Range, Query.CounterValue, Query.LockInfo {

    /**
     * Reads a key.
     *
     * @param key the key
     */
    record Get(String key) implements Query {
        /** Validates the field. */
        public Get {
            Names.check(key, "key");
        }
    }

    /**
     * Lists the keys that start with {@code prefix}, in key order.
     *
     * @param prefix the prefix ({@code ""} for every key)
     * @param limit  the most keys to return, positive
     */
    record Range(String prefix, int limit) implements Query {
        /** Validates the fields. */
        public Range {
            Names.check(prefix, "prefix");
            if (limit <= 0) {
                throw new IllegalArgumentException("a range returns a positive number of keys, got " + limit);
            }
        }
    }

    /**
     * Reads a counter.
     *
     * @param counter the counter's name
     */
    record CounterValue(String counter) implements Query {
        /** Validates the field. */
        public CounterValue {
            Names.check(counter, "counter");
        }
    }

    /**
     * Reads who holds a lock and who waits for it.
     *
     * @param lock the lock's name
     */
    record LockInfo(String lock) implements Query {
        /** Validates the field. */
        public LockInfo {
            Names.check(lock, "lock");
        }
    }
}
