package io.iridium.transport;

import io.iridium.wire.FrameEncoder;
import io.iridium.wire.TunnelChunks;
import io.iridium.wire.WireMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands frames from any number of sending threads to one connection's event loop in batches,
 * packed into few buffers.
 *
 * <p>A {@code channel.writeAndFlush} from outside the event loop costs one task per frame: an
 * object, a queue insertion and often a wake-up of the loop, then a buffer of its own from the
 * encoder. Here senders add frames to a lock-free multi-producer queue, and only the sender that
 * finds no drain scheduled submits one. The drain, on the event loop, encodes everything queued
 * into buffers of about {@link #BATCH_BYTES} each, writes them and flushes once. Under load one
 * drain carries thousands of frames in a handful of buffers, hence few TLS records and system
 * calls.
 *
 * <p>Large tunnel chunks are not copied into the batch: see {@link #WRAP_BYTES}.
 *
 * <p>Order: frames leave in the order they were queued, after anything written to the channel
 * directly before the first of them was queued. Memory: {@link #queuedBytes()} counts the
 * estimated bytes queued and not yet encoded; the caller refuses new frames past its bound, as it
 * does past Netty's write-buffer high-water mark. A frame over the size limit is dropped with a
 * logged reason and the connection stays open (callers check sizes first, so this is a bug guard).
 */
final class ChannelWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ChannelWriter.class);
    private static final RateLimitedLog oversized = new RateLimitedLog(log, 10_000);

    /** About how many bytes of frames one buffer carries before the next is started. */
    static final int BATCH_BYTES = 64 * 1024;
    /**
     * A tunnel chunk at least this large follows its frame's head as a buffer of its own, wrapping
     * the chunk's array instead of copying it into the batch (the array is the tunnel's own copy,
     * handed over with the frame), so the event loop does not copy bulk data before encrypting it.
     * The array goes back to {@link TunnelChunks} once Netty has consumed it.
     */
    static final int WRAP_BYTES = 16 * 1024;
    /** Room for a tunnel chunk's frame head. */
    private static final int HEAD_BYTES = 32;

    private final Channel channel;
    private final int maxFrameBytes;
    private final Queue<Entry> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();

    private record Entry(WireMessage message, int bytes) {}

    ChannelWriter(Channel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
    }

    Channel channel() {
        return channel;
    }

    /** Queues {@code message} (of about {@code bytes} on the wire) to be written and flushed soon. */
    void write(WireMessage message, int bytes) {
        queuedBytes.addAndGet(bytes);
        queue.offer(new Entry(message, bytes));
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this);
        }
    }

    /** Estimated bytes queued here and not yet handed to the channel. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** The drain: runs on the channel's event loop. */
    @Override
    public void run() {
        while (true) {
            drainOnce();
            drainScheduled.set(false);
            // a sender that queued after the last poll but saw the drain still scheduled relies on us
            if (queue.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void drainOnce() {
        ByteBuf batch = null;
        long drained = 0;
        Entry entry;
        while ((entry = queue.poll()) != null) {
            drained += entry.bytes();
            WireMessage.TunnelData wrapped = entry.message() instanceof WireMessage.TunnelData data
                    && data.chunk().length >= WRAP_BYTES ? data : null;
            if (batch == null) {
                int need = wrapped != null ? HEAD_BYTES : entry.bytes();
                long expected = Math.min(BATCH_BYTES, queuedBytes.get() - drained + need);
                batch = channel.alloc().ioBuffer((int) Math.max(need, expected) + 16);
            }
            try {
                if (wrapped != null) {
                    FrameEncoder.encodeFrameHead(wrapped, batch, maxFrameBytes);
                    channel.write(batch, channel.voidPromise());
                    channel.write(TunnelChunks.wrap(channel.alloc(), wrapped.chunk()), channel.voidPromise());
                    batch = null;
                    continue;
                }
                FrameEncoder.encodeFrame(entry.message(), batch, maxFrameBytes);
            } catch (IllegalArgumentException tooLarge) {
                oversized.warn("dropped a frame to {}: {}", channel.remoteAddress(), tooLarge.getMessage());
            }
            if (batch.readableBytes() >= BATCH_BYTES) {
                channel.write(batch, channel.voidPromise());
                batch = null;
            }
        }
        queuedBytes.addAndGet(-drained);
        if (batch != null) {
            if (batch.isReadable()) {
                channel.write(batch, channel.voidPromise());
            } else {
                batch.release();
            }
        }
        channel.flush();
    }
}
