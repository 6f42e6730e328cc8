package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waits until a deadline kept on a timer wheel: woken by a signal, by the deadline, or timed once the wheel stops. */
class DeadlineWaitTest {
    private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    @AfterEach
    void stopTimer() {
        timer.stop();
    }

    @Test
    void aWaitNobodySignals_endsAtItsDeadline() throws InterruptedException {
        Waited waited = waitFor(Duration.ofMillis(100));
        assertThat(waited.took()).isBetween(Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(waited.wakeUps()).as("woken by the alarm, not spinning").isLessThanOrEqualTo(3);
    }

    @Test
    void withTheWheelStopped_theWaitIsTimed() throws InterruptedException {
        timer.stop();
        Waited waited = waitFor(Duration.ofMillis(100));
        assertThat(waited.took()).isBetween(Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(waited.wakeUps()).as("a timed wait, not spinning").isLessThanOrEqualTo(3);
    }

    @Test
    void aSignal_endsTheWaitBeforeItsDeadline() throws InterruptedException {
        boolean[] ready = {false};
        Thread.ofVirtual().start(() -> {
            sleep(50);
            lock.lock();
            try {
                ready[0] = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        });
        long start = System.nanoTime();
        lock.lock();
        try (DeadlineWait wait = new DeadlineWait(timer, lock, changed)) {
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            while (!ready[0] && deadline - System.nanoTime() > 0) {
                wait.await(deadline - System.nanoTime());
            }
        } finally {
            lock.unlock();
        }
        assertThat(ready[0]).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    private record Waited(Duration took, int wakeUps) {}

    /** Waits, as a caller does, until {@code timeout} has passed: how long it took, how often it woke. */
    private Waited waitFor(Duration timeout) throws InterruptedException {
        int wakeUps = 0;
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        lock.lock();
        try (DeadlineWait wait = new DeadlineWait(timer, lock, changed)) {
            while (deadline - System.nanoTime() > 0) {
                wait.await(deadline - System.nanoTime());
                wakeUps++;
            }
        } finally {
            lock.unlock();
        }
        return new Waited(Duration.ofNanos(System.nanoTime() - start), wakeUps);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
