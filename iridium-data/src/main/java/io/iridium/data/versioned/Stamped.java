package io.iridium.data.versioned;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import java.util.Objects;

/**
 * A stored value with the hybrid-logical-clock timestamp and the replica of its write: what the
 * versioned store keeps per sibling, so that last-writer-wins resolution can be done later, on
 * request, and can say what it discarded.
 *
 * @param value     the application's value
 * @param timestamp when it was written, on the writing replica's hybrid logical clock
 * @param writer    the replica that wrote it (the tie-break of equal timestamps)
 */
public record Stamped(String value, HlcTimestamp timestamp, ReplicaId writer) {

    private static final Codec<Stamped> CODEC = new Codec<>() {
        @Override
        public void write(Stamped stamped, DataWriter out) {
            out.writeString(stamped.value);
            HlcTimestamp.writeBody(stamped.timestamp, out);
            out.writeReplica(stamped.writer);
        }

        @Override
        public Stamped read(DataReader in) {
            return new Stamped(in.readString(), HlcTimestamp.readBody(in), in.readReplica());
        }
    };

    /** Validates the record. */
    public Stamped {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(writer, "writer");
    }

    /** The canonical encoding: value string | timestamp | writer. */
    public static Codec<Stamped> codec() {
        return CODEC;
    }
}
