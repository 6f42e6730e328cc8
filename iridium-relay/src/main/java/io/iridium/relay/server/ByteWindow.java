package io.iridium.relay.server;

/**
 * A bounded count of bytes in flight between two threads: a producer {@link #acquire}s before
 * handing bytes on (blocking while the window is full) and the consumer {@link #release}s them once
 * they are gone. One message larger than the whole window is let through alone, so it cannot
 * wedge. {@link #close()} wakes and refuses every waiter.
 */
final class ByteWindow {
    private final long capacity;
    private long used;
    private boolean closed;

    ByteWindow(long capacity) {
        this.capacity = capacity;
    }

    /** Waits for room for {@code bytes}; false once the window is closed. */
    synchronized boolean acquire(long bytes) throws InterruptedException {
        while (!closed && used > 0 && used + bytes > capacity) {
            wait();
        }
        if (closed) {
            return false;
        }
        used += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
