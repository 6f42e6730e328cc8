package io.iridium.wire;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recycled 64 KiB array into which a connection's decoder packs the bodies of the small
 * {@link WireMessage.Publish} frames it reads, so that received events land in warm memory
 * instead of one fresh array each.
 *
 * <p>Why: at a million 1 KiB events a second, a fresh array per body is a gigabyte a second of
 * memory the allocator has not touched for a whole young-generation cycle, and copying into it
 * runs at the speed of main memory: measured, that bound the subscriber's event loop. The slab's
 * array comes from {@link TunnelChunks}' stack, where the array taken is the one most recently
 * given back.
 *
 * <p>Holds: every body packed into a slab carries one hold on it, which passes with its
 * {@code Publish} to whoever consumes the frame. A consumer that shows the body to more than one
 * reader {@link #retain}s one hold more per extra reader before handing it on, and each reader
 * {@link #release}s its hold once done with the body; the last release gives the array back. The
 * decoder's count of the bodies it packed is added only when it {@linkplain Packer#leave leaves}
 * the slab (at the end of each read burst), so that packing a body costs no atomic operation: until
 * then the count carries a large bias that no release can exhaust. A hold never released (a frame
 * dropped with its connection, a task never run) leaves the array to the collector: nothing leaks,
 * and the array is never reused while a hold is outstanding.
 *
 * <p>Threading: the decoder's thread packs; holds are atomic, so any thread may retain and release.
 */
public final class BodySlab {
    /**
     * Bodies up to this size are packed; larger ones get an array of their own, as they are rare
     * and would waste up to this much of a slab's tail.
     */
    public static final int MAX_PACKED_BODY = 8 * 1024;
    /** The holds a slab starts with: more than the bodies it can hold, so none can reach zero. */
    private static final int DECODER_BIAS = 1 << 30;
    /** Bodies packed at most into one slab (empty bodies are not packed, so this is a bound only). */
    private static final int MAX_BODIES = TunnelChunks.LENGTH;

    private final byte[] array;
    private final AtomicInteger holds = new AtomicInteger(DECODER_BIAS);
    /** Decoder's thread only. */
    private int written;
    /** Decoder's thread only. */
    private int packed;

    private BodySlab(byte[] array) {
        this.array = array;
    }

    /** The slab's array: a packed body is {@code array()[offset, offset + length)}. Read-only to holders. */
    public byte[] array() {
        return array;
    }

    /** Adds {@code count} holds; only a holder may, for the readers it hands its body to. */
    public void retain(int count) {
        holds.addAndGet(count);
    }

    /**
     * Gives up {@code count} holds; the last gives the array back for reuse, after which no
     * holder may read it.
     *
     * @throws IllegalStateException if more holds were released than taken (a bug: the array
     *                               could have been reused while read)
     */
    public void release(int count) {
        int left = holds.addAndGet(-count);
        if (left == 0) {
            TunnelChunks.give(array);
        } else if (left < 0) {
            throw new IllegalStateException("a body slab was released " + -left + " times more than held");
        }
    }

    /** Holds not yet released, counting the decoder's bias while it packs (for tests). */
    int holds() {
        return holds.get();
    }

    /**
     * Packs bodies for one decoder into its current slab, starting a new one when a body does not
     * fit. One instance per connection, used on its event loop.
     */
    static final class Packer {
        private BodySlab current;

        /**
         * Whether a body of {@code length} bytes is packed; others are read into arrays of their
         * own (empty ones share none: there is nothing to recycle).
         */
        static boolean packs(int length) {
            return length > 0 && length <= MAX_PACKED_BODY;
        }

        /**
         * Copies the next {@code length} bytes of {@code from} into the {@link #slab} (a new one
         * when they do not fit) and returns where they start there. The body holds one hold on
         * the slab, which passes to the caller.
         */
        int pack(ByteBuf from, int length) {
            BodySlab slab = current;
            if (slab == null || slab.array.length - slab.written < length || slab.packed == MAX_BODIES) {
                leave();
                slab = new BodySlab(TunnelChunks.take(TunnelChunks.LENGTH));
                current = slab;
            }
            int offset = slab.written;
            from.readBytes(slab.array, offset, length);
            slab.written = offset + length;
            slab.packed++;
            return offset;
        }

        /** The slab {@link #pack} packed into last; null after {@link #leave}. */
        BodySlab slab() {
            return current;
        }

        /**
         * Stops packing into the current slab, turning the bias into one hold per packed body: the
         * slab goes back once their holders have released them (at once, if they have).
         */
        void leave() {
            BodySlab slab = current;
            if (slab != null) {
                current = null;
                slab.release(DECODER_BIAS - slab.packed);
            }
        }
    }
}
