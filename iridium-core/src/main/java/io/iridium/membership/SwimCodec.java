package io.iridium.membership;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.NodeId;
import io.iridium.membership.SwimMessage.Ack;
import io.iridium.membership.SwimMessage.Nack;
import io.iridium.membership.SwimMessage.Ping;
import io.iridium.membership.SwimMessage.PingReq;
import io.iridium.membership.SwimMessage.PushPull;
import io.iridium.membership.SwimMessage.Rumor;
import io.iridium.membership.SwimMessage.Update;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link SwimMessage}s into datagram payloads and decodes them back, validating every
 * field. Decoding never throws anything but {@link MalformedMessageException}.
 *
 * <pre>
 *  header   ┌─────────┬──────┬──────────────┬─────────────────┐
 *           │ version │ type │ sender id    │ sender endpoint │
 *           │ u8 = 1  │ u8   │ 16 bytes     │ endpoint        │
 *           └─────────┴──────┴──────────────┴─────────────────┘
 *  body     Ping     seq:varlong  target-id:16  gossip
 *           Ack      seq:varlong  gossip
 *           PingReq  seq:varlong  target-id:16  target:endpoint  gossip
 *           Nack     seq:varlong  gossip
 *           Rumor    gossip
 *           PushPull flags:u8 (bit 0 = reply)  part:u16  parts:u16  count:u16  member × count
 *
 *  endpoint = host-length:u8  host:UTF-8 (1..255 bytes)  port:u16
 *  member   = id:16  name-length:u8  name:UTF-8  endpoint  incarnation:varlong  state:u8
 *  gossip   = count:u8  (member  reporter-id:16) × count
 *  varlong  = unsigned LEB128, at most 9 bytes (values 0 .. 2^63-1)
 * </pre>
 *
 * <p>Every count is checked against the bytes that remain before anything is allocated, a
 * datagram longer than {@link #MAX_DATAGRAM_BYTES} is refused outright, strings must be valid
 * UTF-8, and trailing bytes after the last field are an error. Encoding refuses (with
 * {@link IllegalArgumentException}) names or hosts over 255 UTF-8 bytes and lists over their
 * count limits: those are bugs or bad configuration, not network conditions.
 */
public final class SwimCodec {

    /** Version byte of this wire format. */
    public static final int VERSION = 1;
    /** The largest payload a UDP datagram can carry over IPv4; anything longer is refused. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;
    /** At most this many updates ride on one datagram (the count is one byte). */
    public static final int MAX_GOSSIP_UPDATES = 255;
    /** At most this many members in one push-pull part (the count is two bytes). */
    public static final int MAX_PUSH_PULL_MEMBERS = 65_535;
    /** The largest incarnation accepted: leaves room to refute, and no honest member gets near it. */
    public static final long MAX_INCARNATION = 1L << 62;

    private static final int TYPE_PING = 1;
    private static final int TYPE_ACK = 2;
    private static final int TYPE_PING_REQ = 3;
    private static final int TYPE_NACK = 4;
    private static final int TYPE_RUMOR = 5;
    private static final int TYPE_PUSH_PULL = 6;
    private static final int NODE_ID_BYTES = 16;
    private static final int MAX_STRING_BYTES = 255;
    private static final int MAX_VARLONG_BYTES = 9;
    private static final MemberState[] STATES = MemberState.values();

    private SwimCodec() {}

    /** The datagram payload for {@code message}. */
    public static byte[] encode(SwimMessage message) {
        Writer out = new Writer(256);
        out.u8(VERSION);
        switch (message) {
            case Ping ping -> {
                header(out, TYPE_PING, ping);
                out.varlong(ping.sequence());
                out.nodeId(ping.targetId());
                gossip(out, ping.gossip());
            }
            case Ack ack -> {
                header(out, TYPE_ACK, ack);
                out.varlong(ack.sequence());
                gossip(out, ack.gossip());
            }
            case PingReq request -> {
                header(out, TYPE_PING_REQ, request);
                out.varlong(request.sequence());
                out.nodeId(request.targetId());
                out.endpoint(request.targetAddress());
                gossip(out, request.gossip());
            }
            case Nack nack -> {
                header(out, TYPE_NACK, nack);
                out.varlong(nack.sequence());
                gossip(out, nack.gossip());
            }
            case Rumor rumor -> {
                header(out, TYPE_RUMOR, rumor);
                gossip(out, rumor.gossip());
            }
            case PushPull state -> {
                header(out, TYPE_PUSH_PULL, state);
                if (state.parts() > 0xFFFF || state.members().size() > MAX_PUSH_PULL_MEMBERS) {
                    throw new IllegalArgumentException("push-pull part too large: " + state.members().size()
                            + " members, " + state.parts() + " parts");
                }
                out.u8(state.reply() ? 1 : 0);
                out.u16(state.part());
                out.u16(state.parts());
                out.u16(state.members().size());
                for (Member member : state.members()) {
                    out.member(member);
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * The message in {@code datagram}.
     *
     * @throws MalformedMessageException naming the first problem, for any input that is not
     *                                   exactly one valid message
     */
    public static SwimMessage decode(byte[] datagram) throws MalformedMessageException {
        if (datagram == null) {
            throw new MalformedMessageException("no datagram");
        }
        if (datagram.length > MAX_DATAGRAM_BYTES) {
            throw new MalformedMessageException("datagram of " + datagram.length + " bytes exceeds " + MAX_DATAGRAM_BYTES);
        }
        Reader in = new Reader(datagram);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new MalformedMessageException("unknown version " + version);
        }
        int type = in.u8("type");
        NodeId sender = in.nodeId("sender id");
        Endpoint senderAddress = in.endpoint("sender endpoint");
        SwimMessage message = switch (type) {
            case TYPE_PING -> new Ping(sender, senderAddress, in.varlong("sequence"), in.nodeId("target id"), in.gossip());
            case TYPE_ACK -> new Ack(sender, senderAddress, in.varlong("sequence"), in.gossip());
            case TYPE_PING_REQ -> new PingReq(sender, senderAddress, in.varlong("sequence"), in.nodeId("target id"),
                    in.endpoint("target endpoint"), in.gossip());
            case TYPE_NACK -> new Nack(sender, senderAddress, in.varlong("sequence"), in.gossip());
            case TYPE_RUMOR -> new Rumor(sender, senderAddress, in.gossip());
            case TYPE_PUSH_PULL -> in.pushPull(sender, senderAddress);
            default -> throw new MalformedMessageException("unknown message type " + type);
        };
        if (in.remaining() != 0) {
            throw new MalformedMessageException(in.remaining() + " trailing bytes after " + message.getClass().getSimpleName());
        }
        return message;
    }

    /** Encoded bytes of one gossip update (member plus reporter), for packing datagrams. */
    public static int encodedSize(Update update) {
        return encodedSize(update.member()) + NODE_ID_BYTES;
    }

    /** Encoded bytes of one member entry. */
    public static int encodedSize(Member member) {
        return NODE_ID_BYTES + 1 + utf8Length(member.name()) + encodedSize(member.address())
                + varlongSize(member.incarnation()) + 1;
    }

    /** Encoded bytes of an endpoint. */
    public static int encodedSize(Endpoint endpoint) {
        return 1 + utf8Length(endpoint.host()) + 2;
    }

    /** Bytes of the common header (version, type, sender id and endpoint). */
    static int headerSize(Endpoint senderAddress) {
        return 2 + NODE_ID_BYTES + encodedSize(senderAddress);
    }

    /** The most bytes any message adds beyond its header and its gossip or member entries. */
    static int maxBodyOverhead(Endpoint targetAddress) {
        return MAX_VARLONG_BYTES + NODE_ID_BYTES + encodedSize(targetAddress) + 1 + 7;
    }

    private static void header(Writer out, int type, SwimMessage message) {
        out.u8(type);
        out.nodeId(message.senderId());
        out.endpoint(message.senderAddress());
    }

    private static void gossip(Writer out, List<Update> updates) {
        if (updates.size() > MAX_GOSSIP_UPDATES) {
            throw new IllegalArgumentException("at most " + MAX_GOSSIP_UPDATES + " updates per datagram, got " + updates.size());
        }
        out.u8(updates.size());
        for (Update update : updates) {
            out.member(update.member());
            out.nodeId(update.reporter());
        }
    }

    private static int varlongSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** A growable byte array with the primitive writes of this format. */
    private static final class Writer {
        private byte[] bytes;
        private int size;

        Writer(int capacity) {
            bytes = new byte[capacity];
        }

        private void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        void u8(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void u16(int value) {
            ensure(2);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void long64(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void varlong(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative value on the wire: " + value);
            }
            ensure(MAX_VARLONG_BYTES);
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        void nodeId(NodeId id) {
            long64(id.high());
            long64(id.low());
        }

        void string(String text, String what) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException(what + " longer than " + MAX_STRING_BYTES + " UTF-8 bytes: " + text);
            }
            u8(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        void endpoint(Endpoint endpoint) {
            string(endpoint.host(), "host");
            u16(endpoint.port());
        }

        void member(Member member) {
            nodeId(member.id());
            string(member.name(), "member name");
            endpoint(member.address());
            varlong(member.incarnation());
            u8(member.state().ordinal());
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /** Bounds-checked reads; every shortfall or invalid value is a {@link MalformedMessageException}. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - position;
        }

        private void need(int count, String what) throws MalformedMessageException {
            if (remaining() < count) {
                throw new MalformedMessageException("truncated " + what + ": needs " + count + " bytes, "
                        + remaining() + " left at offset " + position);
            }
        }

        int u8(String what) throws MalformedMessageException {
            need(1, what);
            return bytes[position++] & 0xFF;
        }

        int u16(String what) throws MalformedMessageException {
            need(2, what);
            int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            position += 2;
            return value;
        }

        long long64(String what) throws MalformedMessageException {
            need(8, what);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        long varlong(String what) throws MalformedMessageException {
            long value = 0;
            for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
                int b = u8(what);
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (i > 0 && b == 0) {
                        throw new MalformedMessageException("non-minimal varint for " + what);
                    }
                    return value;
                }
            }
            throw new MalformedMessageException(what + " longer than " + MAX_VARLONG_BYTES + " bytes");
        }

        NodeId nodeId(String what) throws MalformedMessageException {
            need(NODE_ID_BYTES, what);
            return new NodeId(long64(what), long64(what));
        }

        String string(String what, boolean allowEmpty) throws MalformedMessageException {
            int length = u8(what + " length");
            if (length == 0 && !allowEmpty) {
                throw new MalformedMessageException("empty " + what);
            }
            need(length, what);
            if (isAscii(position, length)) {
                String ascii = new String(bytes, position, length, StandardCharsets.ISO_8859_1);
                position += length;
                return ascii;
            }
            try {
                CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes, position, length));
                position += length;
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new MalformedMessageException(what + " is not valid UTF-8");
            }
        }

        private boolean isAscii(int from, int length) {
            for (int i = from; i < from + length; i++) {
                if (bytes[i] < 0) {
                    return false;
                }
            }
            return true;
        }

        Endpoint endpoint(String what) throws MalformedMessageException {
            String host = string(what + " host", false);
            if (host.isBlank()) {
                throw new MalformedMessageException("blank " + what + " host");
            }
            int port = u16(what + " port");
            return new Endpoint(host, port);
        }

        Member member(String what) throws MalformedMessageException {
            NodeId id = nodeId(what + " id");
            String name = string(what + " name", true);
            Endpoint address = endpoint(what + " endpoint");
            long incarnation = varlong(what + " incarnation");
            if (incarnation > MAX_INCARNATION) {
                // a member refutes with incarnation + 1: far above any honest count, and it must
                // never be pushed to a value it cannot raise (or that wraps) on the wire
                throw new MalformedMessageException(what + " incarnation " + incarnation + " above " + MAX_INCARNATION);
            }
            int state = u8(what + " state");
            if (state >= STATES.length) {
                throw new MalformedMessageException("unknown member state " + state + " in " + what);
            }
            return new Member(id, name, address, incarnation, STATES[state]);
        }

        List<Update> gossip() throws MalformedMessageException {
            int count = u8("gossip count");
            int smallestUpdate = NODE_ID_BYTES + 1 + 4 + 1 + 1 + NODE_ID_BYTES;
            if ((long) count * smallestUpdate > remaining()) {
                throw new MalformedMessageException(count + " gossip updates cannot fit in " + remaining() + " bytes");
            }
            List<Update> updates = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Member member = member("gossip member");
                updates.add(new Update(member, nodeId("gossip reporter")));
            }
            return updates;
        }

        PushPull pushPull(NodeId sender, Endpoint senderAddress) throws MalformedMessageException {
            int flags = u8("push-pull flags");
            if ((flags & ~1) != 0) {
                throw new MalformedMessageException("unknown push-pull flags " + flags);
            }
            int part = u16("push-pull part");
            int parts = u16("push-pull parts");
            if (parts == 0 || part >= parts) {
                throw new MalformedMessageException("push-pull part " + part + " of " + parts);
            }
            int count = u16("push-pull member count");
            int smallestMember = NODE_ID_BYTES + 1 + 4 + 1;
            if ((long) count * smallestMember > remaining()) {
                throw new MalformedMessageException(count + " members cannot fit in " + remaining() + " bytes");
            }
            List<Member> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(member("push-pull member"));
            }
            return new PushPull(sender, senderAddress, (flags & 1) != 0, part, parts, members);
        }
    }
}
