package io.iridium.testkit.messaging;

import io.iridium.NodeId;
import io.iridium.wire.WireMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A small codec for the simulator's request channel: an envelope naming the sending and the
 * addressed identity (as the real transport's authenticated connections do), then one of the
 * four request-lifecycle frames.
 *
 * <pre>
 *   from (16 bytes) | to (16 bytes) | type (1) | id (8) | Request:  cluster (UTF) timeout (4) body (4 + n)
 *                                                       | Reply:    body (4 + n)
 *                                                       | Refused:  reason ordinal (1)
 *                                                       | Failed:   message (UTF)
 * </pre>
 */
final class RequestFrameCodec {

    /** One frame between identities. */
    record Frame(NodeId from, NodeId to, WireMessage message) {}

    private static final int REQUEST = 1;
    private static final int REPLY = 2;
    private static final int REFUSED = 3;
    private static final int FAILED = 4;

    private RequestFrameCodec() {}

    static byte[] encode(Frame frame) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeId(out, frame.from());
            writeId(out, frame.to());
            switch (frame.message()) {
                case WireMessage.Request r -> {
                    out.writeByte(REQUEST);
                    out.writeLong(r.id());
                    out.writeUTF(r.cluster());
                    out.writeInt(r.timeoutMillis());
                    writeBody(out, r.body());
                }
                case WireMessage.Reply r -> {
                    out.writeByte(REPLY);
                    out.writeLong(r.id());
                    writeBody(out, r.body());
                }
                case WireMessage.Refused r -> {
                    out.writeByte(REFUSED);
                    out.writeLong(r.id());
                    out.writeByte(r.reason().ordinal());
                }
                case WireMessage.Failed f -> {
                    out.writeByte(FAILED);
                    out.writeLong(f.id());
                    out.writeUTF(f.message());
                }
                default -> throw new IllegalArgumentException("not a request frame: " + frame.message());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Frame decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        NodeId from = readId(in);
        NodeId to = readId(in);
        int type = in.readUnsignedByte();
        long id = in.readLong();
        WireMessage message = switch (type) {
            case REQUEST -> {
                String cluster = in.readUTF();
                int timeout = in.readInt();
                yield new WireMessage.Request(id, cluster, timeout, readBody(in));
            }
            case REPLY -> new WireMessage.Reply(id, readBody(in));
            case REFUSED -> new WireMessage.Refused(id, WireMessage.Refused.Reason.values()[in.readUnsignedByte()]);
            case FAILED -> new WireMessage.Failed(id, in.readUTF());
            default -> throw new IOException("unknown frame type " + type);
        };
        return new Frame(from, to, message);
    }

    static String kind(Frame frame) {
        return frame.message().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static void writeId(DataOutputStream out, NodeId id) throws IOException {
        out.writeLong(id.high());
        out.writeLong(id.low());
    }

    private static NodeId readId(DataInputStream in) throws IOException {
        return new NodeId(in.readLong(), in.readLong());
    }

    private static void writeBody(DataOutputStream out, byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
    }

    private static byte[] readBody(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return body;
    }
}
