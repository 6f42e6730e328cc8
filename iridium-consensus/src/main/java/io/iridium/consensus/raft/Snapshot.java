package io.iridium.consensus.raft;

import java.util.Objects;

/**
 * A state machine image that replaces the log up to and including {@link Metadata#index()}.
 *
 * @param metadata the log position and configuration the image corresponds to
 * @param data     the application's serialized state; not copied
 */
public record Snapshot(Metadata metadata, byte[] data) {

    /** Validates the fields. */
    public Snapshot {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Where a snapshot sits in the log.
     *
     * @param index      the last index it covers
     * @param term       the term of that entry
     * @param membership the configuration in force after applying entries up to {@code index}
     */
    public record Metadata(long index, long term, Membership membership) {
        /** Validates the fields. */
        public Metadata {
            if (index < 0 || term < 0) {
                throw new IllegalArgumentException("negative index or term");
            }
            Objects.requireNonNull(membership, "membership");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot s && metadata.equals(s.metadata) && java.util.Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot[" + metadata + ", " + data.length + " bytes]";
    }
}
