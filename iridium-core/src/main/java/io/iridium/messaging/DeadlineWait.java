package io.iridium.messaging;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * One call's waits on a {@link Condition} until a deadline, without a timed wait: the deadline is
 * kept on a timer wheel, which signals the condition when it passes.
 *
 * <p>A timed wait ({@code awaitNanos}) in a virtual thread costs two wake-ups of the JDK's timer
 * thread, one to arm and one to cancel, a large part of a tunnel message's round trip. Arming
 * and cancelling a deadline on a Netty {@link Timer} wakes no thread. The call's first wait arms
 * the alarm, later waits of the same call reuse it, and {@link #close} cancels it.
 *
 * <p>No wake-up is lost: an alarm that already went off (before the deadline the caller checks)
 * is armed afresh, and one going off now must take the lock, which the waiter holds until it is
 * waiting. With the timer stopped (its owner is closing), the wait is a timed one instead.
 *
 * <p>Not thread-safe: one per waiting call, used by the thread that holds the lock.
 */
public final class DeadlineWait implements AutoCloseable {
    private final Timer timer;
    private final Lock lock;
    private final Condition condition;
    private Timeout alarm;

    /**
     * @param timer     where the deadline is kept
     * @param lock      the lock {@code condition} belongs to
     * @param condition what the caller waits on
     */
    public DeadlineWait(Timer timer, Lock lock, Condition condition) {
        this.timer = timer;
        this.lock = lock;
        this.condition = condition;
    }

    /**
     * Waits, {@code lock} held, until {@code condition} is signalled or about {@code leftNanos}
     * have passed (the wheel's tick later at most); the caller re-checks its state and deadline.
     */
    public void await(long leftNanos) throws InterruptedException {
        if (alarm == null || alarm.isExpired()) {
            alarm = arm(leftNanos);
        }
        if (alarm == null) {
            condition.awaitNanos(leftNanos);
        } else {
            condition.await();
        }
    }

    private Timeout arm(long nanos) {
        try {
            return timer.newTimeout(expired -> {
                lock.lock();
                try {
                    condition.signalAll();
                } finally {
                    lock.unlock();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        } catch (IllegalStateException stopped) {
            return null;
        }
    }

    /** Cancels the alarm, if one is armed. */
    @Override
    public void close() {
        if (alarm != null) {
            alarm.cancel();
        }
    }
}
