package io.iridium.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.HashedWheelTimer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reader thread's ownership of the socket while it serves a request itself. */
class ReaderServingTest {
    private final HashedWheelTimer timer = new HashedWheelTimer(ReaderServing.GRACE_MILLIS, TimeUnit.MILLISECONDS);
    private final AtomicInteger readersStarted = new AtomicInteger();
    private final ReaderServing serving = new ReaderServing(timer, readersStarted::incrementAndGet);

    @AfterEach
    void stopTimer() {
        timer.stop();
    }

    @Test
    void quickHandlers_keepTheSocketOnTheReader() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(serving.serve(() -> { })).isTrue();
        }
        assertThat(readersStarted).hasValue(0);
        assertThat(serving.enabled()).isTrue();
    }

    @Test
    void aHandlerPastTheGrace_hasTheSocketTakenOver_andLaterRequestsGetThreadsOfTheirOwn() {
        boolean stillOwner = serving.serve(() -> sleep(20 * ReaderServing.GRACE_MILLIS));

        assertThat(stillOwner).isFalse();
        assertThat(readersStarted).hasValue(1);
        assertThat(serving.enabled()).isFalse();
    }

    @Test
    void aHandlerWaitingOnTheRelay_handsTheSocketOffAtOnce() {
        boolean stillOwner = serving.serve(() -> {
            serving.handOffIfServingOn(Thread.currentThread());
            // the new reader exists before the handler waits, not a grace period later
            assertThat(readersStarted).hasValue(1);
            serving.handOffIfServingOn(Thread.currentThread()); // a second wait starts no second reader
        });

        assertThat(stillOwner).isFalse();
        assertThat(readersStarted).hasValue(1);
    }

    @Test
    void anotherThreadWaitingOnTheRelay_leavesTheReaderAlone() throws InterruptedException {
        CountDownLatch serving1 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> serving.serve(() -> {
            serving1.countDown();
            await(release);
        }));
        serving1.await();
        serving.handOffIfServingOn(Thread.currentThread());
        release.countDown();
        reader.join();

        assertThat(readersStarted).hasValue(0);
        assertThat(serving.enabled()).isTrue();
    }

    @Test
    void aWatchdogFiringAfterTheHandlerReturned_startsNoSecondReader() {
        // handlers that end right around the grace: the reader and the watchdog race for the socket
        int lostTheSocket = 0;
        for (int i = 0; i < 20 && serving.enabled(); i++) {
            if (!serving.serve(() -> sleep(ReaderServing.GRACE_MILLIS))) {
                lostTheSocket++;
            }
        }
        assertThat(readersStarted.get()).isEqualTo(lostTheSocket).isLessThanOrEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
