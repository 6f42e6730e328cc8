package io.iridium.wire;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.util.function.IntFunction;

/**
 * Bounds-checked reads of one frame's body. The reader sees {@code buf} from its reader index up
 * to {@code end} (the frame's last byte plus one) and never past it: every read first checks the
 * bytes left in the frame, so a field that claims more than the frame holds fails as
 * {@link MalformedFrameException} before anything is allocated for it. Every length-prefixed
 * allocation is therefore bounded by the frame, which the decoder bounded by its limit.
 *
 * <p>One reader serves one frame on one thread; it holds no reference to the buffer afterwards.
 */
final class BodyReader {
    /** Continues while bytes are ASCII; stops at the first byte with its high bit set. */
    private static final ByteProcessor WHILE_ASCII = value -> value >= 0;
    /** Names a field's length prefix in errors: "subject length". */
    private static final String LENGTH = " length";

    private final ByteBuf buf;
    private final int end;
    private final String frame;
    private final TextCache texts;
    private final BodySlab.Packer slabs;

    BodyReader(ByteBuf buf, int end, String frame) {
        this(buf, end, frame, null, null);
    }

    /**
     * A reader that looks names up in {@code texts} (its connection's recent names) first, and
     * packs small event bodies into {@code slabs}; either may be null.
     */
    BodyReader(ByteBuf buf, int end, String frame, TextCache texts, BodySlab.Packer slabs) {
        this.buf = buf;
        this.end = end;
        this.frame = frame;
        this.texts = texts;
        this.slabs = slabs;
    }

    int remaining() {
        return end - buf.readerIndex();
    }

    int u8(String field) {
        need(1, field);
        return buf.readUnsignedByte();
    }

    int u16(String field) {
        need(2, field);
        return buf.readUnsignedShort();
    }

    int i32(String field) {
        need(4, field);
        return buf.readInt();
    }

    long i64(String field) {
        need(8, field);
        return buf.readLong();
    }

    boolean bool(String field) {
        int value = u8(field);
        if (value > 1) {
            throw malformed(field + " is a boolean but holds " + value);
        }
        return value == 1;
    }

    NodeId nodeId(String field) {
        need(16, field);
        return new NodeId(buf.readLong(), buf.readLong());
    }

    /** A {@code u16}-length-prefixed strict UTF-8 string of at most {@link WireMessage#MAX_TEXT_BYTES}. */
    String text(String field) {
        need(2, field, LENGTH);
        int length = buf.readUnsignedShort();
        if (length > WireMessage.MAX_TEXT_BYTES) {
            throw malformed(field + " is " + length + " bytes, more than " + WireMessage.MAX_TEXT_BYTES);
        }
        need(length, field);
        int start = buf.readerIndex();
        String text = texts == null ? null : texts.find(buf, start, length);
        if (text == null) {
            text = decodeText(start, length, field);
            if (texts != null) {
                texts.put(buf, start, length, text);
            }
        }
        buf.skipBytes(length);
        return text;
    }

    private String decodeText(int start, int length, String field) {
        if (buf.forEachByte(start, length, WHILE_ASCII) == -1) {
            // the common case (subjects, cluster names): ASCII is valid UTF-8 and decodes as Latin-1
            return buf.toString(start, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return Text.decode(buf.nioBuffer(start, length));
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException(frame + " frame: " + field + " is not valid UTF-8", e);
        }
    }

    /** A {@code u32}-length-prefixed byte array, bounded by what is left of the frame. */
    byte[] bytes(String field) {
        return bytes(field, byte[]::new);
    }

    /**
     * {@link #bytes}, read into an array from {@link TunnelChunks} (a recycled one when it has
     * the recycled length); the caller hands the array on with its frame.
     */
    byte[] chunk(String field) {
        return bytes(field, TunnelChunks::take);
    }

    private byte[] bytes(String field, IntFunction<byte[]> arrayOfLength) {
        return readInto(arrayOfLength.apply(length(field)));
    }

    /** Fills {@code bytes} from the frame; the caller checked that the frame holds them. */
    private byte[] readInto(byte[] bytes) {
        buf.readBytes(bytes);
        return bytes;
    }

    /**
     * An event on {@code topic} whose body is the {@code u32}-length-prefixed {@code field}:
     * packed into this reader's slab when it is small (see {@link BodySlab}), else in an array of
     * its own.
     */
    WireMessage.Publish publish(String topic, String field) {
        int length = length(field);
        if (slabs == null || !BodySlab.Packer.packs(length)) {
            return new WireMessage.Publish(topic, readInto(new byte[length]));
        }
        int offset = slabs.pack(buf, length);
        BodySlab slab = slabs.slab();
        return new WireMessage.Publish(topic, slab.array(), offset, length, slab);
    }

    /** Reads a {@code u32} length prefix and checks that the frame holds that many bytes more. */
    private int length(String field) {
        need(4, field, LENGTH);
        long length = Integer.toUnsignedLong(buf.readInt());
        if (length > remaining()) {
            throw malformed(field + " claims " + length + " bytes but the frame has " + remaining() + " left");
        }
        return (int) length;
    }

    Endpoint endpoint(String field) {
        String host = text(field + ".host");
        int port = u16(field + ".port");
        if (host.isBlank()) {
            throw malformed(field + ".host is blank");
        }
        return new Endpoint(host, port);
    }

    /** Throws unless the body has been read to its last byte. */
    void expectEnd() {
        if (remaining() != 0) {
            throw malformed(remaining() + " unexpected bytes after the last field");
        }
    }

    MalformedFrameException malformed(String reason) {
        return new MalformedFrameException(frame + " frame: " + reason);
    }

    private void need(int bytes, String field) {
        need(bytes, field, "");
    }

    /**
     * Throws unless {@code bytes} are left. The field's name comes in two parts, joined only for
     * the error: a successful read builds no string (this runs for every field of every frame).
     */
    private void need(int bytes, String field, String suffix) {
        if (remaining() < bytes) {
            throw malformed("truncated: " + field + suffix + " needs " + bytes + " bytes but the frame has "
                    + remaining() + " left");
        }
    }
}
