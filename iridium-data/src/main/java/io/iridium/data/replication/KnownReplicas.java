package io.iridium.data.replication;

import io.iridium.data.CorruptDataException;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The replica set as one replica has known it, persisted with its data directory: the identity
 * that saved it, every other replica it has seen serving the set ({@code known}) and those known
 * to have left it for good ({@code departed}). MAJORITY and ALL count {@code known} plus the
 * replica itself, so a replica that sees only part of the set after a partition or a restart
 * still needs a majority of the whole set.
 *
 * <pre>
 *   record = self (16 bytes) | count | count x replica | count | count x replica
 * </pre>
 *
 * @param self     the replica identity that saved the record; a restart on the same data
 *                 directory treats it as its predecessor, departed for good
 * @param known    the other replicas it counts
 * @param departed the replicas known to have left
 */
public record KnownReplicas(ReplicaId self, SortedSet<ReplicaId> known, SortedSet<ReplicaId> departed) {

    /** Validates and copies. */
    public KnownReplicas {
        Objects.requireNonNull(self, "self");
        known = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(known));
        departed = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(departed));
    }

    /** The binary record. */
    public byte[] encode() {
        DataWriter out = new DataWriter();
        out.writeReplica(self);
        out.writeVarLong(known.size());
        known.forEach(out::writeReplica);
        out.writeVarLong(departed.size());
        departed.forEach(out::writeReplica);
        return out.toByteArray();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws CorruptDataException if the bytes are not exactly one record
     */
    public static KnownReplicas decode(byte[] bytes) {
        DataReader in = new DataReader(bytes);
        ReplicaId self = in.readReplica();
        SortedSet<ReplicaId> known = readReplicas(in);
        SortedSet<ReplicaId> departed = readReplicas(in);
        in.requireEnd();
        return new KnownReplicas(self, known, departed);
    }

    private static SortedSet<ReplicaId> readReplicas(DataReader in) {
        int count = in.readCount(ReplicaId.BYTES);
        SortedSet<ReplicaId> replicas = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            replicas.add(in.readReplica());
        }
        return replicas;
    }
}
