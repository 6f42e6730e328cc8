package io.iridium.transport;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How an event loop that runs out of work waits for more: it polls for a short while, giving way
 * to any other runnable thread between polls, before it blocks in {@code epoll_wait}.
 *
 * <p>A loop that blocks at once pays twice for the next message: the sender's kernel wakes it (on
 * a virtual machine an inter-processor interrupt, which showed as 15-25% of both event loops'
 * time in a request/reply profile), and it comes back through a context switch. In a
 * conversation, where the answer comes tens of microseconds after the question, both costs recur
 * on every exchange. Polling for a little longer than that gap catches the answer on a running
 * thread instead, and work handed over from other threads then needs no wake-up either (the loop
 * is not asleep). Each poll is a non-blocking {@code epoll_wait} followed by {@link Thread#yield},
 * so a handler thread, or anything else runnable, takes the core at once rather than waiting for
 * the poller's time slice to end: on two cores, polling without yielding starved the handlers'
 * carrier threads and gained nothing.
 *
 * <p>Polling stops where it does not pay, so that an idle node or a slow trickle of messages
 * costs about what it does with Netty's default. After {@link #MISSES_BEFORE_BLOCKING} waits in
 * a row in which the polls found nothing, the loop blocks at once; every {@link #PROBE_AFTER_BLOCKS}
 * blocks it polls once more, in case the traffic changed, and a wait whose polls find work
 * brings polling back. A trickle whose gaps are just longer than the budget therefore wastes one
 * budget every few dozen messages. A single miss changes nothing: under load a gap sometimes runs
 * long (a handler took the core, a collection paused the peer), and halving the budget at each
 * miss lost three quarters of what polling gained on requests (BENCHMARKS.md).
 *
 * <p>One instance per event loop, used on its thread only; {@link #factory} makes them.
 */
final class SpinThenBlock implements SelectStrategy {
    /** Waits in a row whose polls found nothing, after which the loop stops polling. */
    static final int MISSES_BEFORE_BLOCKING = 8;
    /** Blocks without polling, once polling stopped, before one wait polls again. */
    static final int PROBE_AFTER_BLOCKS = 32;

    private static final long NOT_POLLING = Long.MIN_VALUE;

    private final long spinNanos;
    private final LongSupplier clock;
    private final Runnable pause;
    /** When the current run of empty polls began; {@link #NOT_POLLING} when none runs. */
    private long pollingSince = NOT_POLLING;
    /** Waits in a row whose polls found nothing. */
    private int misses;
    private int blocksUntilProbe;

    SpinThenBlock(long spinNanos, LongSupplier clock, Runnable pause) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("the spin must not be negative, got " + spinNanos + " ns");
        }
        this.spinNanos = spinNanos;
        this.clock = clock;
        this.pause = pause;
    }

    /** Strategies polling for up to {@code spin}, one per event loop; zero never polls. */
    static SelectStrategyFactory factory(Duration spin) {
        long nanos = spin.toNanos();
        return () -> new SpinThenBlock(nanos, System::nanoTime, Thread::yield);
    }

    /** Whether the next wait polls before it blocks. */
    boolean polling() {
        return spinNanos > 0 && (misses < MISSES_BEFORE_BLOCKING || blocksUntilProbe == 0);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (!hasTasks && pollingSince == NOT_POLLING && !polling()) {
            if (blocksUntilProbe > 0) {
                blocksUntilProbe--;
            }
            return SELECT;
        }
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            if (pollingSince != NOT_POLLING) { // the wait paid: the work came while polling
                pollingSince = NOT_POLLING;
                misses = 0;
            }
            return ready;
        }
        long now = clock.getAsLong();
        if (pollingSince == NOT_POLLING) {
            pollingSince = now;
        }
        if (now - pollingSince < spinNanos) {
            pause.run();
            return CONTINUE;
        }
        pollingSince = NOT_POLLING; // the wait did not pay
        if (++misses >= MISSES_BEFORE_BLOCKING) {
            misses = MISSES_BEFORE_BLOCKING; // no overflow however long it stays idle
            blocksUntilProbe = PROBE_AFTER_BLOCKS;
        }
        return SELECT;
    }
}
