package io.iridium.relay.client;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a connection's reader thread serve a lone request itself, and takes the socket from it
 * when the handler turns out to block.
 *
 * <p>Handing a request to a thread of its own costs a wake-up of that thread, a large part of a
 * small request's round trip. A request that arrives alone (nothing read with it, nothing else
 * being served) is therefore run on the reader thread. But a handler may block: on I/O, on a lock,
 * or on a request of its own whose reply only this reader could read. So the reader's ownership of
 * the socket can be <em>handed off</em>: a new reader thread is started and the old one, once its
 * handler returns, leaves. That happens when the handler calls back into the connection in a way
 * that waits on the relay ({@link #handOffIfServingOn}), or when it is still running after
 * {@link #GRACE_MILLIS} (a watchdog on a shared timer wheel: arming and cancelling it wakes no
 * thread). After one hand-off, this connection serves every request on a thread of its own:
 * its handlers are not the quick kind.
 *
 * <p>States: {@code READING} (the reader owns the socket and is reading), {@code SERVING} (it
 * runs a handler), {@code HANDED_OFF} (a new reader owns the socket; final). Only the reader moves
 * {@code READING → SERVING → READING}; whoever hands off moves {@code SERVING → HANDED_OFF}, and
 * exactly one of the two transitions out of {@code SERVING} wins, so there is never a second
 * reader while the first still reads.
 */
final class ReaderServing {
    /** How long a handler may hold the reader thread before another reader takes the socket. */
    static final long GRACE_MILLIS = 10;

    private static final int READING = 0;
    private static final int SERVING = 1;
    private static final int HANDED_OFF = 2;

    private final AtomicInteger state = new AtomicInteger(READING);
    private final Timer watchdogs;
    private final Runnable startReader;
    /** The reader thread while it runs a handler; null otherwise. */
    private volatile Thread servingThread;

    /**
     * @param watchdogs   where the grace period is timed
     * @param startReader starts a new thread that reads the socket from where the old reader stopped
     */
    ReaderServing(Timer watchdogs, Runnable startReader) {
        this.watchdogs = watchdogs;
        this.startReader = startReader;
    }

    /** Whether a lone request may still be served on the reader thread: no handler has blocked it yet. */
    boolean enabled() {
        return state.get() != HANDED_OFF;
    }

    /**
     * Runs {@code serve} on the calling reader thread.
     *
     * @return true when this thread still owns the socket; false when another reader took it over
     *     meanwhile, and this thread must stop reading
     */
    boolean serve(Runnable serve) {
        if (!state.compareAndSet(READING, SERVING)) {
            serve.run(); // handed off before: nothing left to hand
            return true;
        }
        servingThread = Thread.currentThread();
        Timeout watchdog = watchdogs.newTimeout(expired -> handOff(), GRACE_MILLIS, TimeUnit.MILLISECONDS);
        try {
            serve.run();
        } finally {
            watchdog.cancel();
            servingThread = null;
        }
        return state.compareAndSet(SERVING, READING);
    }

    /**
     * Hands the socket to a new reader if {@code caller} is the reader running a handler: called
     * before anything that waits for the relay, which that reader could no longer read.
     */
    void handOffIfServingOn(Thread caller) {
        if (servingThread == caller) {
            handOff();
        }
    }

    private void handOff() {
        if (state.compareAndSet(SERVING, HANDED_OFF)) {
            startReader.run();
        }
    }
}
