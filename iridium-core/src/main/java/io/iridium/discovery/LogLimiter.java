package io.iridium.discovery;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets through at most one log line per period and counts what it held back, so a flood of bad
 * datagrams costs a counter increment each, not a log line each. Thread-safe and lock-free: of
 * several threads racing at the end of a period, exactly one wins the line.
 */
final class LogLimiter {

    private final long periodNanos;
    private final AtomicLong nextAllowedNanos;
    private final AtomicLong suppressed = new AtomicLong();

    LogLimiter(long period, TimeUnit unit) {
        this.periodNanos = unit.toNanos(period);
        this.nextAllowedNanos = new AtomicLong(System.nanoTime());
    }

    /**
     * Whether the caller may log now. When it returns {@code true}, {@link #takeSuppressed()}
     * tells how many lines were held back since the last one.
     */
    boolean tryAcquire() {
        long now = System.nanoTime();
        long next = nextAllowedNanos.get();
        if (now - next >= 0 && nextAllowedNanos.compareAndSet(next, now + periodNanos)) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /** How many lines were held back since the last call; resets the count. */
    long takeSuppressed() {
        return suppressed.getAndSet(0);
    }
}
