package io.iridium.consensus.group;

import io.iridium.consensus.machine.Envelope;
import io.iridium.consensus.machine.MachineCodec;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The requests a group's cluster serves and their replies: Raft traffic between members, and
 * commands, reads and administration from clients (or forwarded by a member to the leader).
 *
 * <pre>
 *   request: tag (1) │ body
 *     1 raft     count (4), then per message: length (4) │ RaftMessageCodec bytes
 *                (member → member, in order; empty reply)
 *     2 command  forwarded (1) │ envelope (MachineCodec)
 *     3 read     forwarded (1) │ consistency (1) │ query (MachineCodec)
 *     4 admin    forwarded (1) │ operation (1) │ member name (UTF-8, rest)
 *   reply:   tag (1) │ body
 *     0 done     result (MachineCodec)      1 text  UTF-8
 *     2 retry    UTF-8 reason: nothing happened, or a session makes the retry safe
 *     3 failed   UTF-8 reason: the request is wrong; retrying will not help
 * </pre>
 */
public final class GroupProtocol {

    private GroupProtocol() {
    }

    /** What a group member is asked. */
    public sealed interface Request permits Raft, Submit, Read, Admin {
    }

    /**
     * Raft messages from another member, in the order it sent them.
     *
     * @param messages the encoded messages
     */
    record Raft(java.util.List<byte[]> messages) implements Request {
        /** Copies the list. */
        Raft {
            messages = java.util.List.copyOf(messages);
        }
    }

    /**
     * A command to replicate.
     *
     * @param envelope  the command with its session
     * @param forwarded whether a member already forwarded it (the leader does not forward again)
     */
    public record Submit(Envelope envelope, boolean forwarded) implements Request {
        /** Validates the field. */
        public Submit {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /**
     * A read.
     *
     * @param query       what to read
     * @param consistency how fresh it must be
     * @param forwarded   whether a member already forwarded it
     */
    public record Read(Query query, Consistency consistency, boolean forwarded) implements Request {
        /** Validates the fields. */
        public Read {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(consistency, "consistency");
        }
    }

    /** Administrative operations on a group. */
    public enum AdminOperation {
        /** Describe the group as this member sees it. */
        STATUS,
        /** Add a member by name: first as a learner, then promoted to voter once caught up. */
        ADD,
        /** Remove a member by name. */
        REMOVE,
        /** Hand leadership to a member by name. */
        TRANSFER
    }

    /**
     * An administrative request.
     *
     * @param operation what to do
     * @param member    the member it concerns ({@code ""} for status)
     * @param forwarded whether a member already forwarded it
     */
    public record Admin(AdminOperation operation, String member, boolean forwarded) implements Request {
        /** Validates the fields. */
        public Admin {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(member, "member");
        }
    }

    /** A member's answer. */
    public sealed interface Reply permits Done, Text, Retry, Failed {
    }

    /**
     * The command or read completed.
     *
     * @param result its result
     */
    public record Done(Result result) implements Reply {
    }

    /**
     * An administrative answer.
     *
     * @param text for people
     */
    public record Text(String text) implements Reply {
    }

    /**
     * Not done, and safe to retry (with the same session sequence number for a command).
     *
     * @param reason why
     */
    public record Retry(String reason) implements Reply {
    }

    /**
     * Refused; retrying will not help.
     *
     * @param reason why
     */
    public record Failed(String reason) implements Reply {
    }

    /**
     * Encodes a request.
     *
     * @param request the request
     * @return its bytes
     */
    public static byte[] encode(Request request) {
        return switch (request) {
            case Raft r -> {
                ByteBuffer out = ByteBuffer.allocate(5 + r.messages().stream().mapToInt(m -> 4 + m.length).sum());
                out.put((byte) 1).putInt(r.messages().size());
                r.messages().forEach(m -> out.putInt(m.length).put(m));
                yield out.array();
            }
            case Submit s -> concat(new byte[]{2, flag(s.forwarded())}, MachineCodec.encodeEnvelope(s.envelope()));
            case Read r -> concat(new byte[]{3, flag(r.forwarded()), (byte) r.consistency().ordinal()},
                    MachineCodec.encodeQuery(r.query()));
            case Admin a -> concat(new byte[]{4, flag(a.forwarded()), (byte) a.operation().ordinal()},
                    a.member().getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * Decodes a request.
     *
     * @param bytes what a member received
     * @return the request
     * @throws IllegalArgumentException when malformed
     */
    public static Request decodeRequest(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte tag = in.get();
            return switch (tag) {
                case 1 -> {
                    int count = in.getInt();
                    if (count < 0 || count > in.remaining() / 4) {
                        throw new IllegalArgumentException("a batch of " + count + " Raft messages in " + bytes.length + " bytes");
                    }
                    java.util.List<byte[]> messages = new java.util.ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        int length = in.getInt();
                        if (length < 0 || length > in.remaining()) {
                            throw new IllegalArgumentException("a Raft message of " + length + " bytes with " + in.remaining() + " left");
                        }
                        byte[] m = new byte[length];
                        in.get(m);
                        messages.add(m);
                    }
                    yield new Raft(messages);
                }
                case 2 -> new Submit(MachineCodec.decodeEnvelope(rest(skip(in))), flag(bytes[1]));
                case 3 -> {
                    boolean forwarded = flag(in.get());
                    yield new Read(MachineCodec.decodeQuery(rest(skip(in))), enumAt(Consistency.values(), bytes[2]), forwarded);
                }
                case 4 -> {
                    boolean forwarded = flag(in.get());
                    AdminOperation op = enumAt(AdminOperation.values(), in.get());
                    yield new Admin(op, new String(rest(in), StandardCharsets.UTF_8), forwarded);
                }
                default -> throw new IllegalArgumentException("unknown group request tag " + tag);
            };
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated group request of " + bytes.length + " bytes", e);
        }
    }

    /**
     * Encodes a reply.
     *
     * @param reply the reply
     * @return its bytes
     */
    public static byte[] encode(Reply reply) {
        return switch (reply) {
            case Done d -> concat(new byte[]{0}, MachineCodec.encodeResult(d.result()));
            case Text t -> concat(new byte[]{1}, t.text().getBytes(StandardCharsets.UTF_8));
            case Retry r -> concat(new byte[]{2}, r.reason().getBytes(StandardCharsets.UTF_8));
            case Failed f -> concat(new byte[]{3}, f.reason().getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * Decodes a reply.
     *
     * @param bytes what a member answered
     * @return the reply
     * @throws IllegalArgumentException when malformed
     */
    public static Reply decodeReply(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an empty group reply");
        }
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (bytes[0]) {
            case 0 -> new Done(MachineCodec.decodeResult(body));
            case 1 -> new Text(text);
            case 2 -> new Retry(text);
            case 3 -> new Failed(text);
            default -> throw new IllegalArgumentException("unknown group reply tag " + bytes[0]);
        };
    }

    private static ByteBuffer skip(ByteBuffer in) {
        in.get();
        return in;
    }

    private static byte[] rest(ByteBuffer in) {
        byte[] b = new byte[in.remaining()];
        in.get(b);
        return b;
    }

    private static <E> E enumAt(E[] values, byte ordinal) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalArgumentException("unknown " + values[0].getClass().getSimpleName() + " " + ordinal);
        }
        return values[ordinal];
    }

    private static byte flag(boolean b) {
        return (byte) (b ? 1 : 0);
    }

    private static boolean flag(byte b) {
        return b != 0;
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
