package io.iridium.bench.worker;

import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;

/**
 * The subscriber's tally: counts warm-up and measured messages (told apart by their first byte),
 * remembers when the last one arrived, and lets the worker wait until warm-up messages flow and
 * until the measured messages are all in (or stopped coming). Called by one delivery thread at a
 * time in every system the benchmark drives; the fields it publishes are volatile, and the worker
 * polls them every {@value #POLL_MILLIS} ms, so that counting a message never branches (see
 * {@link #accept}).
 */
final class ArrivalCounter implements Fabric.Sink {
    private final long warmupTarget;
    private final long expected;
    static final long POLL_MILLIS = 10;
    private volatile long warmups;
    private volatile long measured;
    private volatile long lastArrivalNanos;

    ArrivalCounter(long warmupTarget, long expected) {
        this.warmupTarget = Math.max(1, warmupTarget);
        this.expected = expected;
    }

    /**
     * Counts one message. Warm-up and measured messages take one path, with no branch at all: a
     * branch that the warm-up never took (the first measured message, the last one, the warm-up
     * target reached) would deoptimize the compiled delivery code that inlined this method (the
     * measured system's own code, not only the harness's), and the measurement would pay for
     * running it interpreted and compiling it again. The waits below poll instead.
     */
    @Override
    public void accept(byte[] message) {
        count(measuredOne(message));
    }

    /** Counts one message shown in place; the same as {@link #accept(byte[])}. */
    @Override
    public void accept(ByteBuffer message) {
        count(measuredOne(message));
    }

    private void count(int measuredOne) {
        long now = System.nanoTime();
        measured = measured + measuredOne;
        warmups = warmups + (1 - measuredOne);
        lastArrivalNanos = now; // warm-up ones too: they are drained before measured ones are sent
    }

    /** 1 for a measured message (its first byte says so), 0 for a warm-up one, computed without a branch. */
    static int measuredOne(byte[] message) {
        return message.length == 0 ? 0 : measuredOne(message[0]); // empty: never sent, every payload has its marker
    }

    /** {@link #measuredOne(byte[])} for a message shown in place, from its position. */
    static int measuredOne(ByteBuffer message) {
        return message.hasRemaining() ? measuredOne(message.get(message.position())) : 0;
    }

    private static int measuredOne(byte first) {
        int difference = (first ^ Worker.MEASURED) & 0xFF;
        return 1 - ((difference | -difference) >>> 31);
    }

    /**
     * Returns true once the warm-up target arrived and warm-up messages have been arriving for at
     * least {@code minimumMillis} (timed from when this wait first saw one); false if that did not
     * happen within {@code timeoutMillis}.
     */
    boolean awaitWarm(long minimumMillis, long timeoutMillis) throws InterruptedException {
        long now = System.nanoTime();
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long firstSeen = warmups > 0 ? now : 0;
        while (true) {
            now = System.nanoTime();
            long arrived = warmups;
            if (firstSeen == 0 && arrived > 0) {
                firstSeen = now;
            }
            if (arrived >= warmupTarget && now - firstSeen >= TimeUnit.MILLISECONDS.toNanos(minimumMillis)) {
                return true;
            }
            if (now - deadline >= 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
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
        while (measured < expected) {
            Thread.sleep(POLL_MILLIS);
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
