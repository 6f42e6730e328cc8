package io.iridium.consensus.raft;

import java.util.Objects;

/**
 * One entry of the replicated log.
 *
 * @param index   the position in the log, from 1
 * @param term    the term of the leader that created it
 * @param payload what it carries
 */
public record Entry(long index, long term, Payload payload) {

    /** Validates the fields. */
    public Entry {
        if (index < 1 || term < 1) {
            throw new IllegalArgumentException("index and term start at 1: " + index + "/" + term);
        }
        Objects.requireNonNull(payload, "payload");
    }
}
