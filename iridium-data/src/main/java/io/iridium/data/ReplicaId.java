package io.iridium.data;

import io.iridium.NodeId;
import java.util.HexFormat;

/**
 * The identity of one replica of a replicated value: 128 bits, compared by value and ordered
 * as two unsigned longs.
 *
 * <p>The replicator uses the {@link NodeId} of the node incarnation that hosts the replica
 * ({@link #of(NodeId)}). Because a restarted process is a new node identity, a replica that
 * lost its state never reuses the dots or counter entries of its former self; the old identity
 * becomes a departed replica, whose counter entries can be retired (see
 * {@link io.iridium.data.crdt.GCounter}). The total order is used wherever a CRDT needs a
 * deterministic tie-break (last-writer-wins registers and maps, the sequence CRDT).
 *
 * @param high the upper 64 bits
 * @param low  the lower 64 bits
 */
public record ReplicaId(long high, long low) implements Comparable<ReplicaId> {

    /** The encoded size of a replica identity, in bytes. */
    public static final int BYTES = 16;

    /** The replica identity of a node incarnation. */
    public static ReplicaId of(NodeId node) {
        return new ReplicaId(node.high(), node.low());
    }

    /** A small identity {@code (0, low)}: handy in tests and examples. */
    public static ReplicaId of(long low) {
        return new ReplicaId(0, low);
    }

    /** The node identity with the same 128 bits. */
    public NodeId toNodeId() {
        return new NodeId(high, low);
    }

    @Override
    public int compareTo(ReplicaId other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    /** The first eight hex digits, or {@code r<low>} for small identities. */
    @Override
    public String toString() {
        if (high == 0 && low >= 0 && low < 1_000_000) {
            return "r" + low;
        }
        return HexFormat.of().toHexDigits(high).substring(0, 8);
    }
}
