package io.iridium.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Recycles the arrays of full-size tunnel chunks, so that bulk tunnel data is copied into memory
 * that is still in the CPU's cache. The decoder's {@link BodySlab}s, into which it packs small
 * event bodies for in-place readers, are arrays of the same size from the same pool, for the same
 * reason; a slab goes back once every event in it was read.
 *
 * <p>Why: a 64 KiB chunk copied into a fresh array lands in memory the allocator has not touched
 * for a whole young-generation cycle, so the copy runs at the speed of main memory, not of the
 * cache. Measured on the tunnel benchmark, that one copy cost a bulk sender about as much CPU as
 * its event loop's encryption, and the receiving event loop a fifth of its time. Recycled arrays
 * stay warm.
 *
 * <p>Ownership: a {@code TunnelData} frame owns its chunk array, and whoever finishes with the
 * frame may give the array back:
 * <ul>
 *   <li>{@code Tunnel.send} {@link #take}s an array, copies the caller's bytes into it (the caller
 *       may reuse its own array at once) and hands the frame to the transport, whose
 *       {@code ChannelWriter} writes the chunk as a {@link #wrap wrapped} buffer. Netty's release
 *       of that buffer, once the bytes are encrypted or copied into the socket's buffer, gives the
 *       array back.</li>
 *   <li>The frame decoder reads a received chunk into a taken array ({@link BodyReader#chunk}).
 *       The tunnel's reader, on its own thread, copies the message out into the array it returns,
 *       or shows it to a {@code Tunnel.receive(Consumer, Duration)} reader in place, and gives the
 *       chunk back.</li>
 * </ul>
 * An array that never comes back (a frame dropped with its connection or its tunnel) is garbage:
 * nothing leaks, and nothing is shared, since an array is only ever in one place: the pool, one
 * frame, or one slab (whose events share it and release it together). Only arrays of exactly
 * {@link #LENGTH} bytes are kept, at most {@link #MAX_KEPT} of them; the pool is a stack, so the
 * array taken is the one most recently given back, hence the warmest.
 *
 * <p>Thread safety: any thread may take and give; a lock guards the stack (one uncontended lock
 * per 64 KiB chunk).
 */
public final class TunnelChunks {
    /** The one chunk size recycled: a tunnel's largest chunk, which bulk transfers consist of. */
    public static final int LENGTH = 64 * 1024;
    /**
     * How many arrays the pool keeps at most: 16 MiB, a tunnel's largest window. A sender that is
     * out of credit has its whole window in flight, and it comes back in bursts as the event loop
     * encrypts; keeping 64 dropped 40% of them in the tunnel benchmark, and each dropped array is
     * another cold one allocated. More given back at once are dropped.
     */
    static final int MAX_KEPT = 256;

    private static final ReentrantLock lock = new ReentrantLock();
    private static final ArrayDeque<byte[]> kept = new ArrayDeque<>(MAX_KEPT);

    private TunnelChunks() {}

    /**
     * An array of {@code length} bytes to fill completely: a recycled one if {@code length} is
     * {@link #LENGTH} and one is free, else a new one. Its content is undefined.
     */
    public static byte[] take(int length) {
        if (length == LENGTH) {
            lock.lock();
            try {
                byte[] array = kept.pollFirst();
                if (array != null) {
                    return array;
                }
            } finally {
                lock.unlock();
            }
        }
        return new byte[length];
    }

    /**
     * Gives {@code array} back if it is a chunk array worth keeping; the caller must hold no
     * reference to it afterwards.
     */
    public static void give(byte[] array) {
        if (array.length != LENGTH) {
            return;
        }
        lock.lock();
        try {
            if (kept.size() < MAX_KEPT) {
                kept.addFirst(array);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops every kept array (for tests). */
    static void clear() {
        lock.lock();
        try {
            kept.clear();
        } finally {
            lock.unlock();
        }
    }

    /** How many arrays are free now (for tests). */
    static int kept() {
        lock.lock();
        try {
            return kept.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A buffer over all of {@code chunk} that {@link #give}s the array back when Netty releases it.
     * The caller hands over its ownership of {@code chunk}.
     */
    public static ByteBuf wrap(ByteBufAllocator alloc, byte[] chunk) {
        return new RecyclingHeapBuf(alloc, chunk);
    }

    /** An unpooled heap buffer whose array goes back to the pool instead of to the collector. */
    private static final class RecyclingHeapBuf extends UnpooledHeapByteBuf {
        RecyclingHeapBuf(ByteBufAllocator alloc, byte[] chunk) {
            super(alloc, chunk, chunk.length);
        }

        @Override
        protected void freeArray(byte[] array) {
            give(array);
        }
    }
}
