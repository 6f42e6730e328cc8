package io.iridium.relay.server;

import io.iridium.relay.wire.RelayFrame;
import java.time.Duration;

/**
 * What a {@link RelaySession} needs from the runtime that drives it: a way to send packets, to
 * close its connection, to run work and timers on its own thread, and to pace its reader and the
 * node's handler threads. The Netty adapter implements it; the session does no I/O of its own.
 */
interface SessionDriver {

    /** Queues a packet for the client (session thread only); flushed when the thread is idle. */
    void send(RelayFrame frame);

    /** Flushes what was queued and closes the connection; {@code reason} goes to the log. */
    void close(String reason);

    /** Runs {@code task} on the session's thread (from any thread). */
    void execute(Runnable task);

    /** Runs {@code task} on the session's thread after {@code delay}; the handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Stops (true) or resumes (false) reading the connection, for back-pressure on the client. */
    void pauseReading(boolean paused);

    /**
     * Blocks the calling (handler) thread while the connection's outbound buffer is full, so that a
     * slow client slows its deliveries instead of growing the relay's memory; returns at once once
     * the connection is closed.
     */
    void awaitWritable() throws InterruptedException;

    /** A scheduled task's handle. */
    interface Cancellable {
        void cancel();
    }
}
