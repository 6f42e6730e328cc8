package io.iridium.wire;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The names one connection decoded recently (subjects, cluster names), so that a name that
 * repeats, which on a busy connection is nearly every one, is compared in place instead of
 * copied out of the buffer and decoded into a new {@code String} per frame. Direct-mapped by
 * length and first and last byte, {@value #SLOTS} slots; a miss decodes as usual and takes the
 * slot. Only names that decoded as valid UTF-8 enter it, so a hit is as valid as a decode.
 *
 * <p>Threading: one per decoder, used by that channel's event loop only.
 */
final class TextCache {
    static final int SLOTS = 16;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] texts = new String[SLOTS];

    /** The cached text whose UTF-8 is {@code buf[start, start + length)}, or null. */
    String find(ByteBuf buf, int start, int length) {
        int slot = slot(buf, start, length);
        byte[] cached = bytes[slot];
        return cached != null && cached.length == length && sameBytes(buf, start, cached) ? texts[slot] : null;
    }

    /** Remembers {@code text}, decoded from {@code buf[start, start + length)}. */
    void put(ByteBuf buf, int start, int length, String text) {
        int slot = slot(buf, start, length);
        byte[] copy = new byte[length];
        buf.getBytes(start, copy);
        bytes[slot] = copy;
        texts[slot] = text;
    }

    private static int slot(ByteBuf buf, int start, int length) {
        if (length == 0) {
            return 0;
        }
        int first = buf.getByte(start);
        int last = buf.getByte(start + length - 1);
        return (length * 31 + first * 7 + last) & (SLOTS - 1);
    }

    private static boolean sameBytes(ByteBuf buf, int start, byte[] cached) {
        int n = cached.length;
        int i = 0;
        for (; i + Long.BYTES <= n; i += Long.BYTES) {
            if (buf.getLong(start + i) != (long) LONG_BE.get(cached, i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (buf.getByte(start + i) != cached[i]) {
                return false;
            }
        }
        return true;
    }
}
