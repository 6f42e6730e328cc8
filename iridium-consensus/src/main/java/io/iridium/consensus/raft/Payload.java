package io.iridium.consensus.raft;

import java.util.Objects;

/**
 * What a log {@link Entry} carries: application data, a membership change, or nothing (the
 * empty entry a new leader appends to commit an entry of its own term).
 */
public sealed interface Payload permits Payload.Data, Payload.Change, Payload.Empty {

    /**
     * The approximate size, used to bound appends.
     *
     * @return bytes
     */
    int size();

    /**
     * An application command, opaque to Raft.
     *
     * @param bytes the command; not copied, callers must not mutate it afterwards
     */
    record Data(byte[] bytes) implements Payload {
        /** Validates the field. */
        public Data {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Data data && java.util.Arrays.equals(bytes, data.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Data[" + bytes.length + " bytes]";
        }
    }

    /**
     * A single-server membership change.
     *
     * @param change the change
     */
    record Change(ConfChange change) implements Payload {
        /** Validates the field. */
        public Change {
            Objects.requireNonNull(change, "change");
        }

        @Override
        public int size() {
            return 24;
        }
    }

    /** No payload: the leader's own-term barrier entry. */
    record Empty() implements Payload {
        @Override
        public int size() {
            return 0;
        }
    }
}
