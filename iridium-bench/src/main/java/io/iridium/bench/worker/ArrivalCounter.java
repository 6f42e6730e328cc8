package io.iridium.bench.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The subscriber's tally: counts warm-up and measured messages (told apart by their first byte),
 * remembers when the last measured one arrived, and lets the worker wait until warm-up messages
 * flow and until the measured messages are all in (or stopped coming). Called by one delivery
 * thread at a time in every system the benchmark drives; the fields it publishes are volatile.
 */
final class ArrivalCounter implements Consumer<byte[]> {
    private final long warmupTarget;
    private final long expected;
    private final CountDownLatch warm = new CountDownLatch(1);
    private final CountDownLatch complete = new CountDownLatch(1);
    private volatile long warmups;
    private volatile long measured;
    private volatile long lastArrivalNanos;

    ArrivalCounter(long warmupTarget, long expected) {
        this.warmupTarget = Math.max(1, warmupTarget);
        this.expected = expected;
    }

    @Override
    public void accept(byte[] message) {
        if (message.length > 0 && message[0] == Worker.MEASURED) {
            long now = System.nanoTime();
            long total = measured + 1;
            measured = total;
            lastArrivalNanos = now;
            if (total == expected) {
                complete.countDown();
            }
        } else if (++warmups == warmupTarget) {
            warm.countDown();
        }
    }

    boolean awaitWarm(long timeoutMillis) throws InterruptedException {
        return warm.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Returns once no warm-up message has arrived for {@code quietMillis}: the backlog the
     * publisher left in queues and buffers (a system's own, a broker's) has drained, so that it is
     * not delivered during the measured run. False if it never went quiet within {@code timeoutMillis}.
     */
    boolean awaitWarmupDrained(long quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long seen = warmups;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(10);
            long now = System.nanoTime();
            long current = warmups;
            if (current != seen) {
                seen = current;
                quietSince = now;
            } else if (now - quietSince >= TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return true;
            }
        }
        return false;
    }

    /** Returns when every expected message arrived, or none arrived for {@code idleMillis} after the first. */
    void awaitEnd(long idleMillis) throws InterruptedException {
        long lastSeen = -1;
        long lastChange = System.nanoTime();
        while (!complete.await(100, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long current = measured;
            if (current != lastSeen) {
                lastSeen = current;
                lastChange = now;
            } else if (current > 0 && now - lastChange > TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
                return;
            } else if (now - lastChange > TimeUnit.SECONDS.toNanos(120)) {
                return; // nothing measured arrived at all: report zero
            }
        }
    }

    long measured() {
        return measured;
    }

    long lastArrivalNanos() {
        return lastArrivalNanos;
    }
}
