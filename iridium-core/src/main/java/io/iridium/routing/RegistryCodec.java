package io.iridium.routing;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.routing.RegistryMessage.Digest;
import io.iridium.routing.RegistryMessage.Pull;
import io.iridium.routing.RegistryMessage.Update;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Encodes {@link RegistryMessage}s into datagram payloads and decodes them back, validating every
 * field. Decoding never throws anything but {@link MalformedRegistryMessageException}.
 *
 * <pre>
 *  header  ┌─────────┬──────┬──────────────┐
 *          │ version │ type │ sender id    │
 *          │ u8 = 1  │ u8   │ 16 bytes     │
 *          └─────────┴──────┴──────────────┘
 *  body    Digest  kind:u8 (0 sync, 1 catch-up, 2 reply)  part:u16  parts:u16  low:16  high:16
 *                  count:u16  (owner:16  version:varlong) × count     owners ascending, in [low, high]
 *          Update  flags:u8 (bit 0 = rumor)  count:u16  advertisement × count
 *          Pull    count:u16  owner:16 × count
 *
 *  advertisement = owner:16  host:str8  port:u16  version:varlong
 *                  services:u16  (cluster:str8  capacity:varlong ≤ 2^31-1) × services   clusters strictly ascending
 *                  patterns:u16  pattern:str16 × patterns                                patterns strictly ascending
 *  str8  = length:u8  UTF-8        str16 = length:u16  UTF-8
 *  varlong = unsigned LEB128, minimal, at most 9 bytes (0 .. 2^63-1)
 * </pre>
 *
 * <p>Every count is checked against the bytes that remain before anything is allocated, input
 * longer than {@link #MAX_MESSAGE_BYTES} is refused outright, strings must be valid UTF-8,
 * cluster names and patterns must pass {@link Subjects}, sorted lists must be strictly sorted
 * (so an encoding is canonical and free of duplicates), and trailing bytes are an error.
 * Encoding refuses (with {@link IllegalArgumentException}) lists over their count limits: the
 * registry splits messages long before, so that is a bug. Stateless and thread-safe.
 */
public final class RegistryCodec {

    /** Version byte of this wire format. */
    public static final int VERSION = 1;
    /** The largest payload a UDP datagram can carry over IPv4; anything longer is refused. */
    public static final int MAX_MESSAGE_BYTES = 65_507;
    /** At most this many entries in one list (counts are two bytes). */
    public static final int MAX_COUNT = 0xFFFF;

    /** Bytes of the common header: version, type, sender id. */
    static final int HEADER_BYTES = 2 + 16;
    /** Bytes of a digest besides its entries. */
    static final int DIGEST_OVERHEAD = HEADER_BYTES + 1 + 2 + 2 + 16 + 16 + 2;
    /** Bytes of an update besides its advertisements. */
    static final int UPDATE_OVERHEAD = HEADER_BYTES + 1 + 2;
    /** Bytes of a pull besides its owners. */
    static final int PULL_OVERHEAD = HEADER_BYTES + 2;
    /** Bytes of one owner in a pull. */
    static final int PULL_ENTRY_BYTES = 16;

    private static final int TYPE_DIGEST = 1;
    private static final int TYPE_UPDATE = 2;
    private static final int TYPE_PULL = 3;
    private static final int NODE_ID_BYTES = 16;
    private static final Digest.Kind[] DIGEST_KINDS = Digest.Kind.values();
    private static final int MAX_VARLONG_BYTES = 9;
    /** The smallest encoded advertisement: id, 1-byte host, port, version, two empty counts. */
    private static final int MIN_AD_BYTES = NODE_ID_BYTES + 2 + 2 + 1 + 2 + 2;

    private RegistryCodec() {}

    /**
     * The payload for {@code message}.
     *
     * @throws IllegalArgumentException when a list exceeds {@link #MAX_COUNT} entries or a string
     *                                  its length limit (a bug: the registry splits and validates first)
     */
    public static byte[] encode(RegistryMessage message) {
        Writer out = new Writer(128);
        out.u8(VERSION);
        switch (message) {
            case Digest digest -> {
                out.u8(TYPE_DIGEST);
                out.nodeId(digest.sender());
                out.u8(digest.kind().ordinal());
                out.u16(digest.part(), "digest part");
                out.u16(digest.parts(), "digest parts");
                out.nodeId(digest.low());
                out.nodeId(digest.high());
                out.u16(digest.versions().size(), "digest entries");
                digest.versions().forEach((owner, version) -> {
                    out.nodeId(owner);
                    out.varlong(version);
                });
            }
            case Update update -> {
                out.u8(TYPE_UPDATE);
                out.nodeId(update.sender());
                out.u8(update.rumor() ? 1 : 0);
                out.u16(update.advertisements().size(), "advertisements");
                for (Advertisement ad : update.advertisements()) {
                    out.advertisement(ad);
                }
            }
            case Pull pull -> {
                out.u8(TYPE_PULL);
                out.nodeId(pull.sender());
                out.u16(pull.owners().size(), "pulled owners");
                for (NodeId owner : pull.owners()) {
                    out.nodeId(owner);
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * The message in {@code payload}.
     *
     * @throws MalformedRegistryMessageException naming the first problem, for any input that is
     *                                           not exactly one valid message
     */
    public static RegistryMessage decode(byte[] payload) throws MalformedRegistryMessageException {
        if (payload == null) {
            throw new MalformedRegistryMessageException("no payload");
        }
        if (payload.length > MAX_MESSAGE_BYTES) {
            throw new MalformedRegistryMessageException("message of " + payload.length + " bytes exceeds "
                    + MAX_MESSAGE_BYTES);
        }
        Reader in = new Reader(payload);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new MalformedRegistryMessageException("unknown version " + version);
        }
        int type = in.u8("type");
        NodeId sender = in.nodeId("sender id");
        RegistryMessage message = switch (type) {
            case TYPE_DIGEST -> in.digest(sender);
            case TYPE_UPDATE -> in.update(sender);
            case TYPE_PULL -> in.pull(sender);
            default -> throw new MalformedRegistryMessageException("unknown message type " + type);
        };
        if (in.remaining() != 0) {
            throw new MalformedRegistryMessageException(in.remaining() + " trailing bytes after "
                    + message.getClass().getSimpleName());
        }
        return message;
    }

    /** Encoded bytes of one advertisement, for packing updates. */
    public static int encodedSize(Advertisement ad) {
        int size = NODE_ID_BYTES + 1 + Subjects.utf8Length(ad.address().host()) + 2 + varlongSize(ad.version()) + 2 + 2;
        for (var service : ad.services().entrySet()) {
            size += 1 + Subjects.utf8Length(service.getKey()) + varlongSize(service.getValue());
        }
        for (String pattern : ad.patterns()) {
            size += 2 + Subjects.utf8Length(pattern);
        }
        return size;
    }

    /** Encoded bytes of one digest entry. */
    static int digestEntrySize(long version) {
        return NODE_ID_BYTES + varlongSize(version);
    }

    static int varlongSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
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
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        void u8(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void u16(int value, String what) {
            if (value < 0 || value > MAX_COUNT) {
                throw new IllegalArgumentException(what + " out of 0.." + MAX_COUNT + ": " + value);
            }
            ensure(2);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
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
            ensure(NODE_ID_BYTES);
            long64(id.high());
            long64(id.low());
        }

        private void long64(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void string8(String text, String what) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFF) {
                throw new IllegalArgumentException(what + " longer than 255 UTF-8 bytes: " + text);
            }
            u8(utf8.length);
            raw(utf8);
        }

        void string16(String text, String what) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            u16(utf8.length, what + " length");
            raw(utf8);
        }

        private void raw(byte[] data) {
            ensure(data.length);
            System.arraycopy(data, 0, bytes, size, data.length);
            size += data.length;
        }

        void advertisement(Advertisement ad) {
            nodeId(ad.owner());
            string8(ad.address().host(), "host");
            u16(ad.address().port(), "port");
            varlong(ad.version());
            u16(ad.services().size(), "services");
            ad.services().forEach((cluster, capacity) -> {
                string8(cluster, "cluster name");
                varlong(capacity);
            });
            u16(ad.patterns().size(), "patterns");
            for (String pattern : ad.patterns()) {
                string16(pattern, "pattern");
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** Bounds-checked reads; every shortfall or invalid value is a {@link MalformedRegistryMessageException}. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;
        private CharsetDecoder utf8;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - position;
        }

        private void need(long count, String what) throws MalformedRegistryMessageException {
            if (remaining() < count) {
                throw new MalformedRegistryMessageException("truncated " + what + ": needs " + count + " bytes, "
                        + remaining() + " left at offset " + position);
            }
        }

        int u8(String what) throws MalformedRegistryMessageException {
            need(1, what);
            return bytes[position++] & 0xFF;
        }

        int u16(String what) throws MalformedRegistryMessageException {
            need(2, what);
            int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            position += 2;
            return value;
        }

        private long long64() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        long varlong(String what) throws MalformedRegistryMessageException {
            long value = 0;
            for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
                int b = u8(what);
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (i > 0 && b == 0) {
                        throw new MalformedRegistryMessageException("non-minimal varint for " + what);
                    }
                    return value;
                }
            }
            throw new MalformedRegistryMessageException(what + " longer than " + MAX_VARLONG_BYTES + " bytes");
        }

        NodeId nodeId(String what) throws MalformedRegistryMessageException {
            need(NODE_ID_BYTES, what);
            return new NodeId(long64(), long64());
        }

        private int flags(String what, int allowed) throws MalformedRegistryMessageException {
            int flags = u8(what);
            if ((flags & ~allowed) != 0) {
                throw new MalformedRegistryMessageException("unknown " + what + " " + flags);
            }
            return flags;
        }

        private int count(String what, int smallestEntry) throws MalformedRegistryMessageException {
            int count = u16(what);
            if ((long) count * smallestEntry > remaining()) {
                throw new MalformedRegistryMessageException(count + " " + what + " cannot fit in " + remaining()
                        + " bytes");
            }
            return count;
        }

        String string(int length, String what) throws MalformedRegistryMessageException {
            need(length, what);
            boolean ascii = true;
            for (int i = position; i < position + length; i++) {
                if (bytes[i] < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                String text = new String(bytes, position, length, StandardCharsets.ISO_8859_1);
                position += length;
                return text;
            }
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes, position, length));
                position += length;
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new MalformedRegistryMessageException(what + " is not valid UTF-8");
            }
        }

        Digest digest(NodeId sender) throws MalformedRegistryMessageException {
            int kind = u8("digest kind");
            if (kind >= DIGEST_KINDS.length) {
                throw new MalformedRegistryMessageException("unknown digest kind " + kind);
            }
            int part = u16("digest part");
            int parts = u16("digest parts");
            if (parts == 0 || part >= parts) {
                throw new MalformedRegistryMessageException("digest part " + part + " of " + parts);
            }
            NodeId low = nodeId("digest low");
            NodeId high = nodeId("digest high");
            if (low.compareTo(high) > 0) {
                throw new MalformedRegistryMessageException("digest range low " + low.toHex() + " above high "
                        + high.toHex());
            }
            int count = count("digest entries", NODE_ID_BYTES + 1);
            TreeMap<NodeId, Long> versions = new TreeMap<>();
            NodeId previous = null;
            for (int i = 0; i < count; i++) {
                NodeId owner = nodeId("digest owner");
                long version = varlong("digest version");
                if (previous != null && previous.compareTo(owner) >= 0) {
                    throw new MalformedRegistryMessageException("digest owners not strictly ascending at entry " + i);
                }
                if (owner.compareTo(low) < 0 || owner.compareTo(high) > 0) {
                    throw new MalformedRegistryMessageException("digest owner " + owner.toHex()
                            + " outside the part's range");
                }
                versions.put(owner, version);
                previous = owner;
            }
            return new Digest(sender, DIGEST_KINDS[kind], part, parts, low, high, versions);
        }

        Update update(NodeId sender) throws MalformedRegistryMessageException {
            int flags = flags("update flags", 1);
            int count = count("advertisements", MIN_AD_BYTES);
            List<Advertisement> ads = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ads.add(advertisement());
            }
            return new Update(sender, (flags & 1) != 0, ads);
        }

        Pull pull(NodeId sender) throws MalformedRegistryMessageException {
            int count = count("pulled owners", NODE_ID_BYTES);
            List<NodeId> owners = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                owners.add(nodeId("pulled owner"));
            }
            return new Pull(sender, owners);
        }

        private Advertisement advertisement() throws MalformedRegistryMessageException {
            NodeId owner = nodeId("advertisement owner");
            String host = string(u8("host length"), "host");
            if (host.isBlank()) {
                throw new MalformedRegistryMessageException("blank host in the advertisement of " + owner);
            }
            int port = u16("port");
            long version = varlong("advertisement version");
            int serviceCount = count("services", 1 + 1 + 1);
            TreeMap<String, Integer> services = new TreeMap<>();
            String previous = null;
            for (int i = 0; i < serviceCount; i++) {
                String cluster = string(u8("cluster name length"), "cluster name");
                long capacity = varlong("capacity");
                if (capacity > Integer.MAX_VALUE) {
                    throw new MalformedRegistryMessageException("capacity " + capacity + " of cluster " + cluster
                            + " exceeds " + Integer.MAX_VALUE);
                }
                valid(() -> Subjects.validateCluster(cluster));
                if (previous != null && previous.compareTo(cluster) >= 0) {
                    throw new MalformedRegistryMessageException("clusters not strictly ascending in the advertisement of "
                            + owner);
                }
                services.put(cluster, (int) capacity);
                previous = cluster;
            }
            int patternCount = count("patterns", 2 + 1);
            TreeSet<String> patterns = new TreeSet<>();
            previous = null;
            for (int i = 0; i < patternCount; i++) {
                String pattern = string(u16("pattern length"), "pattern");
                valid(() -> Subjects.validatePattern(pattern));
                if (previous != null && previous.compareTo(pattern) >= 0) {
                    throw new MalformedRegistryMessageException("patterns not strictly ascending in the advertisement of "
                            + owner);
                }
                patterns.add(pattern);
                previous = pattern;
            }
            return new Advertisement(owner, new Endpoint(host, port), version,
                    Collections.unmodifiableSortedMap(services), Collections.unmodifiableSortedSet(patterns));
        }

        private static void valid(Runnable check) throws MalformedRegistryMessageException {
            try {
                check.run();
            } catch (IllegalArgumentException e) {
                throw new MalformedRegistryMessageException(e.getMessage());
            }
        }
    }
}
