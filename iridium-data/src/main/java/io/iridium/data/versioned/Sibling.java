package io.iridium.data.versioned;

import io.iridium.data.ReplicaId;
import io.iridium.data.clock.Dot;
import io.iridium.data.clock.HlcTimestamp;
import java.util.Objects;

/**
 * One of a key's current values: a write that no later write has replaced.
 *
 * @param dot       the write's identity (replica and counter), its place in the causal history
 * @param value     the value written
 * @param timestamp when it was written (hybrid logical clock of the writer)
 * @param writer    the replica that took the write
 */
public record Sibling(Dot dot, String value, HlcTimestamp timestamp, ReplicaId writer) {

    /** Validates the record. */
    public Sibling {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(writer, "writer");
    }

    /** Whether this sibling was written after {@code other} by last-writer-wins order (timestamp, then writer). */
    public boolean isAfter(Sibling other) {
        int byTime = timestamp.compareTo(other.timestamp);
        return byTime != 0 ? byTime > 0 : writer.compareTo(other.writer) > 0;
    }
}
