package io.iridium.relay.server;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded count of bytes in flight between two threads: a producer {@link #acquire}s before
 * handing bytes on (blocking while the window is full) and the consumer {@link #release}s them once
 * they are gone. One message larger than the whole window is let through alone, so it cannot
 * wedge. {@link #close()} wakes and refuses every waiter. Waits on a {@link ReentrantLock}'s
 * condition, not a monitor, so a virtual thread waiting here does not pin its carrier.
 */
final class ByteWindow {
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private long used;
    private boolean closed;

    ByteWindow(long capacity) {
        this.capacity = capacity;
    }

    /** Waits for room for {@code bytes}; false once the window is closed. */
    boolean acquire(long bytes) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && used > 0 && used + bytes > capacity) {
                room.await();
            }
            if (closed) {
                return false;
            }
            used += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release(long bytes) {
        lock.lock();
        try {
            used -= bytes;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
