package io.iridium.consensus.group;

import io.iridium.consensus.log.EntryCodec;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.RaftMessage;
import io.iridium.consensus.raft.Snapshot;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of {@link RaftMessage}s exchanged by the members of a group.
 *
 * <pre>
 *   tag (1) │ from (16) │ to (16) │ term (8) │ the record's other fields in declaration order
 *   entries: count (4), then per entry: length (4) │ entry body (EntryCodec)
 *   snapshot metadata: index (8) │ term (8) │ membership (EntryCodec)
 *   chunk: length (4) │ bytes
 * </pre>
 *
 * <p>{@link #decode(byte[])} throws {@link IllegalArgumentException} on malformed input and checks
 * every length against what remains before allocating.
 */
final class RaftMessageCodec {

    private RaftMessageCodec() {
    }

    static byte[] encode(RaftMessage m) {
        int size = 41 + switch (m) {
            case RaftMessage.Append a -> 28 + a.entries().stream().mapToInt(e -> 4 + EntryCodec.size(e)).sum();
            case RaftMessage.InstallSnapshot s -> 30 + EntryCodec.size(s.metadata().membership()) + s.chunk().length;
            default -> 40;
        };
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(tag(m));
        EntryCodec.putNode(out, m.from());
        EntryCodec.putNode(out, m.to());
        out.putLong(m.term());
        switch (m) {
            case RaftMessage.PreVote v -> out.putLong(v.lastIndex()).putLong(v.lastTerm());
            case RaftMessage.PreVoteResponse r -> out.put(bool(r.reject()));
            case RaftMessage.RequestVote v -> out.putLong(v.lastIndex()).putLong(v.lastTerm()).put(bool(v.transfer()));
            case RaftMessage.VoteResponse r -> out.put(bool(r.reject()));
            case RaftMessage.Append a -> {
                out.putLong(a.prevIndex()).putLong(a.prevTerm()).putLong(a.commit()).putInt(a.entries().size());
                for (Entry e : a.entries()) {
                    out.putInt(EntryCodec.size(e));
                    EntryCodec.encode(e, out);
                }
            }
            case RaftMessage.AppendResponse r -> out.put(bool(r.reject())).putLong(r.index()).putLong(r.hintIndex())
                    .putLong(r.hintTerm());
            case RaftMessage.Heartbeat h -> out.putLong(h.commit()).putLong(h.round()).putLong(h.sentTick());
            case RaftMessage.HeartbeatResponse r -> out.putLong(r.round()).putLong(r.sentTick());
            case RaftMessage.InstallSnapshot s -> {
                out.putLong(s.metadata().index()).putLong(s.metadata().term());
                EntryCodec.encode(s.metadata().membership(), out);
                out.putLong(s.offset()).put(bool(s.done())).putInt(s.chunk().length).put(s.chunk());
            }
            case RaftMessage.SnapshotResponse r -> out.putLong(r.index()).putLong(r.nextOffset()).put(bool(r.done()));
            case RaftMessage.TimeoutNow t -> {
            }
            case RaftMessage.ReadIndex r -> out.putLong(r.requestId()).put(bool(r.lease()));
            case RaftMessage.ReadIndexResponse r -> out.putLong(r.index()).putLong(r.requestId());
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    static RaftMessage decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            RaftMessage m = decode(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after " + m.getClass().getSimpleName());
            }
            return m;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated Raft message of " + bytes.length + " bytes", e);
        }
    }

    private static RaftMessage decode(ByteBuffer in) {
        byte tag = in.get();
        var from = EntryCodec.getNode(in);
        var to = EntryCodec.getNode(in);
        long term = in.getLong();
        return switch (tag) {
            case 1 -> new RaftMessage.PreVote(from, to, term, in.getLong(), in.getLong());
            case 2 -> new RaftMessage.PreVoteResponse(from, to, term, bool(in));
            case 3 -> new RaftMessage.RequestVote(from, to, term, in.getLong(), in.getLong(), bool(in));
            case 4 -> new RaftMessage.VoteResponse(from, to, term, bool(in));
            case 5 -> {
                long prevIndex = in.getLong();
                long prevTerm = in.getLong();
                long commit = in.getLong();
                int count = length(in, 21);
                List<Entry> entries = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int length = length(in, 1);
                    ByteBuffer body = in.slice(in.position(), length);
                    in.position(in.position() + length);
                    entries.add(EntryCodec.decode(body));
                }
                yield new RaftMessage.Append(from, to, term, prevIndex, prevTerm, entries, commit);
            }
            case 6 -> new RaftMessage.AppendResponse(from, to, term, bool(in), in.getLong(), in.getLong(), in.getLong());
            case 7 -> new RaftMessage.Heartbeat(from, to, term, in.getLong(), in.getLong(), in.getLong());
            case 8 -> new RaftMessage.HeartbeatResponse(from, to, term, in.getLong(), in.getLong());
            case 9 -> {
                long index = in.getLong();
                long snapTerm = in.getLong();
                var membership = EntryCodec.decodeMembership(in);
                long offset = in.getLong();
                boolean done = bool(in);
                byte[] chunk = new byte[length(in, 1)];
                in.get(chunk);
                yield new RaftMessage.InstallSnapshot(from, to, term, new Snapshot.Metadata(index, snapTerm, membership),
                        offset, chunk, done);
            }
            case 10 -> new RaftMessage.SnapshotResponse(from, to, term, in.getLong(), in.getLong(), bool(in));
            case 11 -> new RaftMessage.TimeoutNow(from, to, term);
            case 12 -> new RaftMessage.ReadIndex(from, to, term, in.getLong(), bool(in));
            case 13 -> new RaftMessage.ReadIndexResponse(from, to, term, in.getLong(), in.getLong());
            default -> throw new IllegalArgumentException("unknown Raft message tag " + tag);
        };
    }

    private static byte tag(RaftMessage m) {
        return switch (m) {
            case RaftMessage.PreVote v -> 1;
            case RaftMessage.PreVoteResponse r -> 2;
            case RaftMessage.RequestVote v -> 3;
            case RaftMessage.VoteResponse r -> 4;
            case RaftMessage.Append a -> 5;
            case RaftMessage.AppendResponse r -> 6;
            case RaftMessage.Heartbeat h -> 7;
            case RaftMessage.HeartbeatResponse r -> 8;
            case RaftMessage.InstallSnapshot s -> 9;
            case RaftMessage.SnapshotResponse r -> 10;
            case RaftMessage.TimeoutNow t -> 11;
            case RaftMessage.ReadIndex r -> 12;
            case RaftMessage.ReadIndexResponse r -> 13;
        };
    }

    /** A length or count, each unit needing at least {@code unit} more bytes. */
    private static int length(ByteBuffer in, int unit) {
        int n = in.getInt();
        if (n < 0 || (long) n * unit > in.remaining()) {
            throw new IllegalArgumentException("a length of " + n + " with " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static byte bool(boolean b) {
        return (byte) (b ? 1 : 0);
    }

    private static boolean bool(ByteBuffer in) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("a boolean of " + b);
        }
        return b == 1;
    }
}
