package io.iridium.relay.client;

import io.iridium.relay.wire.ByteArraySink;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.RelayEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises a connection's writers. Each packet is encoded whole into a shared buffer under a
 * lock, so packets from concurrent callers never interleave; whoever writes the buffer to the
 * socket swaps it out first and writes outside the lock, so a burst goes out in few writes.
 *
 * <p>Who writes is the caller's choice, packet by packet. A packet written <em>now</em> goes out on
 * the caller's own thread when nobody else is writing, with no hand-off: a hand-off to another
 * thread costs a wake-up, the main part of a small request's latency. Any other packet is left to
 * the connection's writer thread, woken when the buffer stops being empty: a caller streaming
 * packets only encodes them, and the writer sends what piled up meanwhile in one write. A caller
 * writes at most one buffer's worth itself; what was queued behind it is left to the writer thread.
 *
 * <p>The lock is a {@link ReentrantLock}, not a monitor: virtual threads park on it directly. A
 * caller blocks while more than {@value #MAX_BUFFERED} bytes wait, which is the back-pressure on a
 * relay that does not read.
 */
final class FrameWriter {
    private static final int MAX_BUFFERED = 8 << 20;

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the writer thread has something to send (or is to end). */
    private final Condition work = lock.newCondition();
    /** Signalled when a full buffer was taken, for callers waiting for room. */
    private final Condition room = lock.newCondition();
    private int waitingForRoom;
    private ByteArraySink filling = new ByteArraySink(64 << 10);
    private ByteArraySink spare = new ByteArraySink(64 << 10);
    private boolean writing;
    private boolean closed;
    private IOException failure;

    FrameWriter(OutputStream out) {
        this.out = out;
        // a platform thread: a virtual thread's first write would switch the socket to
        // non-blocking mode for good, and every blocking read on it would then cost three system
        // calls (a read that finds nothing, a poll, the read) instead of one
        Thread.ofPlatform().daemon().name("iris-connection-writer").start(this::run);
    }

    /**
     * Queues one packet and, when {@code now} and nobody is writing, writes it (with whatever was
     * queued before it) on this thread; blocks while much is already queued.
     */
    void write(ClientFrame frame, boolean now) throws IOException {
        ByteArraySink batch;
        lock.lock();
        try {
            while (!closed && filling.size() > MAX_BUFFERED) {
                waitingForRoom++;
                room.awaitUninterruptibly();
                waitingForRoom--;
            }
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new IOException("connection closed");
            }
            boolean wasEmpty = filling.size() == 0;
            RelayEncoder.encode(frame, filling);
            if (writing || !now) {
                if (wasEmpty && !writing) {
                    work.signal();
                }
                return;   // the writer in progress, or the writer thread, sends it
            }
            writing = true;
            batch = takeFilling();
        } finally {
            lock.unlock();
        }
        IOException error = send(batch);
        if (error != null) {
            throw error;
        }
    }

    /** The writer thread: sends whatever callers left queued, until closed and drained. */
    private void run() {
        while (true) {
            ByteArraySink batch;
            lock.lock();
            try {
                while (!(closed && filling.size() == 0) && (writing || filling.size() == 0)) {
                    work.awaitUninterruptibly();
                }
                if (filling.size() == 0 || failure != null) {
                    return;
                }
                writing = true;
                batch = takeFilling();
            } finally {
                lock.unlock();
            }
            if (send(batch) != null) {
                return;
            }
        }
    }

    /**
     * Writes {@code batch} (the caller holds the writing role), then gives the role and the buffer
     * back and wakes the writer thread if more is queued. Returns the write's failure, if any,
     * which also closes the writer.
     */
    private IOException send(ByteArraySink batch) {
        IOException error = null;
        try {
            out.write(batch.array(), 0, batch.size());
            out.flush();
        } catch (IOException e) {
            error = e;
        }
        batch.reset();
        lock.lock();
        try {
            spare = batch;
            writing = false;
            if (error != null) {
                failure = error;
                closed = true;
                filling.reset();
            }
            if (filling.size() > 0 || closed) {
                work.signal();
            }
            if (waitingForRoom > 0) {
                room.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return error;
    }

    /** Swaps the filled buffer for the spare one (lock held, writing role taken). */
    private ByteArraySink takeFilling() {
        ByteArraySink batch = filling;
        filling = spare;
        spare = null;
        return batch;
    }

    /**
     * Refuses further packets. What was queued still goes out (the writer thread sends it, then
     * ends); callers waiting for room are released with an error.
     */
    void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
