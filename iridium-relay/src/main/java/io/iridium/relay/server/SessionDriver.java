package io.iridium.relay.server;

import io.iridium.relay.wire.RelayFrame;
import java.time.Duration;

/**
 * What a {@link RelaySession} needs from the runtime that drives it: a way to send packets, to
 * close its connection, to run work and timers on its own thread, to pace its reader, and to
 * learn whether the client keeps up with what is written. The Netty adapter implements it; the session does no I/O of its own.
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
     * Whether the connection can take more data now (session thread). A writer told {@code false}
     * stops; the session's {@link RelaySession#onWritable()} is called once it can go on.
     */
    boolean writable();

    /**
     * Queues {@code write} (which sends about {@code bytes}) to run on the session's thread once
     * the connection is writable, without ever blocking the caller (any thread). The queue is
     * bounded per connection: beyond it the delivery is dropped and counted, so one client that
     * does not read cannot hold up the node's other deliveries.
     *
     * @return false when it was dropped
     */
    boolean offer(long bytes, Runnable write);

    /** A scheduled task's handle. */
    interface Cancellable {
        void cancel();
    }
}
