package io.iridium.consensus.log;

import io.iridium.NodeId;
import io.iridium.consensus.raft.ConfChange;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Payload;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;

/**
 * Encodes Raft entries and memberships for the log and snapshot files, and for the wire
 * ({@code io.iridium.consensus.group}).
 *
 * <pre>
 *   entry body
 *   ┌───────────┬──────────┬──────────┬───────────────────────────────────────────┐
 *   │ index (8) │ term (8) │ kind (1) │ kind 0 data: bytes to the end of the body  │
 *   │           │          │          │ kind 1 empty: nothing                      │
 *   │           │          │          │ kind 2 change: type (1), node (16)         │
 *   └───────────┴──────────┴──────────┴───────────────────────────────────────────┘
 *   membership: voters (4) then 16 bytes each, learners (4) then 16 bytes each
 * </pre>
 */
public final class EntryCodec {

    private EntryCodec() {
    }

    /** The encoded size of an entry. */
    public static int size(Entry e) {
        return 17 + switch (e.payload()) {
            case Payload.Data d -> d.bytes().length;
            case Payload.Empty empty -> 0;
            case Payload.Change c -> 17;
        };
    }

    /** Writes an entry's body. */
    public static void encode(Entry e, ByteBuffer out) {
        out.putLong(e.index()).putLong(e.term());
        switch (e.payload()) {
            case Payload.Data d -> out.put((byte) 0).put(d.bytes());
            case Payload.Empty empty -> out.put((byte) 1);
            case Payload.Change c -> {
                out.put((byte) 2).put((byte) c.change().type().ordinal());
                putNode(out, c.change().node());
            }
        }
    }

    /** Decodes a body; throws IllegalArgumentException when it is malformed. */
    public static Entry decode(ByteBuffer body) {
        if (body.remaining() < 17) {
            throw new IllegalArgumentException("entry body of " + body.remaining() + " bytes");
        }
        long index = body.getLong();
        long term = body.getLong();
        byte kind = body.get();
        Payload payload = switch (kind) {
            case 0 -> {
                byte[] data = new byte[body.remaining()];
                body.get(data);
                yield new Payload.Data(data);
            }
            case 1 -> new Payload.Empty();
            case 2 -> {
                int type = body.get();
                if (type < 0 || type >= ConfChange.Type.values().length) {
                    throw new IllegalArgumentException("unknown change type " + type);
                }
                yield new Payload.Change(new ConfChange(ConfChange.Type.values()[type], getNode(body)));
            }
            default -> throw new IllegalArgumentException("unknown entry kind " + kind);
        };
        return new Entry(index, term, payload);
    }

    /** The encoded size of a membership. */
    public static int size(Membership m) {
        return 8 + 16 * (m.voters().size() + m.learners().size());
    }

    /** Writes a membership. */
    public static void encode(Membership m, ByteBuffer out) {
        out.putInt(m.voters().size());
        m.voters().forEach(n -> putNode(out, n));
        out.putInt(m.learners().size());
        m.learners().forEach(n -> putNode(out, n));
    }

    /** Reads a membership; throws a runtime exception when the buffer runs out. */
    public static Membership decodeMembership(ByteBuffer in) {
        Set<NodeId> voters = new TreeSet<>();
        int v = in.getInt();
        for (int i = 0; i < v; i++) {
            voters.add(getNode(in));
        }
        Set<NodeId> learners = new TreeSet<>();
        int l = in.getInt();
        for (int i = 0; i < l; i++) {
            learners.add(getNode(in));
        }
        return new Membership(voters, learners);
    }

    /** Writes a node id (16 bytes). */
    public static void putNode(ByteBuffer out, NodeId node) {
        out.putLong(node.high()).putLong(node.low());
    }

    /** Reads a node id (16 bytes). */
    public static NodeId getNode(ByteBuffer in) {
        return new NodeId(in.getLong(), in.getLong());
    }
}
