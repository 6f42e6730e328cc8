package io.iridium.transport;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring warning at most once per interval and says how many were suppressed, so that
 * a flood of bad input (a stranger hammering the port, a fuzzer) cannot flood the log. The
 * events themselves are always counted in metrics; the log only samples them.
 */
public final class RateLimitedLog {
    private final Logger logger;
    private final long intervalNanos;
    private final AtomicLong nextAllowedNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger logger, long intervalMillis) {
        this.logger = logger;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs {@code message} (SLF4J format) at WARN unless one was logged within the interval. */
    public void warn(String message, Object... arguments) {
        long now = System.nanoTime();
        long next = nextAllowedNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            if (skipped > 0) {
                logger.warn("({} similar warnings suppressed)", skipped);
            }
            logger.warn(message, arguments);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
