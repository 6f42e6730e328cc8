package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tunnel endpoint fed by an event loop's read burst wakes its waiting reader once, when the
 * burst ends ({@link ReaderWakeups#wakeAll}), and delivers every message the burst brought;
 * fed without a burst, or with no reader waiting, it behaves as before.
 */
class ReaderWakeupsTest {
    static final Duration LONG = Duration.ofSeconds(10);
    static final long WINDOW = 1 << 20;

    final TunnelEndpoint endpoint = openEndpoint();

    @Test
    void waitingReader_isWokenAtTheBurstsEnd_withEveryMessageOfTheBurst() throws Exception {
        CompletableFuture<String> first = receiveOnAnotherThread();
        awaitReaderWaiting(first);
        ReaderWakeups wakeups = new ReaderWakeups();

        endpoint.onFrame(data("one"), wakeups);
        endpoint.onFrame(data("two"), wakeups);

        Thread.sleep(100);
        assertThat(first).as("the burst has not ended: the reader still waits").isNotDone();
        wakeups.wakeAll();
        assertThat(first.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("one");
        assertThat(text(endpoint.receive(LONG))).isEqualTo("two");
    }

    @Test
    void wakeAll_forgetsWhatItWoke() throws Exception {
        ReaderWakeups wakeups = new ReaderWakeups();
        CompletableFuture<String> first = receiveOnAnotherThread();
        awaitReaderWaiting(first);
        endpoint.onFrame(data("one"), wakeups);
        wakeups.wakeAll();
        assertThat(first.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("one");

        CompletableFuture<String> second = receiveOnAnotherThread();
        awaitReaderWaiting(second);
        endpoint.onFrame(data("two"), wakeups);
        Thread.sleep(100);
        assertThat(second).as("a new burst defers its own wake-up").isNotDone();
        wakeups.wakeAll();
        assertThat(second.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("two");
    }

    @Test
    void frameOutsideABurst_wakesTheReaderAtOnce() throws Exception {
        CompletableFuture<String> first = receiveOnAnotherThread();
        awaitReaderWaiting(first);
        endpoint.onFrame(data("one"));
        assertThat(first.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("one");
    }

    @Test
    void noReaderWaiting_theMessageIsThereForTheNextReceive() {
        ReaderWakeups wakeups = new ReaderWakeups();
        endpoint.onFrame(data("one"), wakeups);
        assertThat(text(endpoint.receive(LONG))).as("queued, not waiting for the burst's end").isEqualTo("one");
        wakeups.wakeAll(); // nothing owed: harmless
    }

    private static TunnelEndpoint openEndpoint() {
        TunnelEndpoint endpoint = new TunnelEndpoint("files", "a test peer", 1, WINDOW,
                command -> Thread.ofVirtual().start(command), new MessagingMetrics(new SimpleMeterRegistry()),
                TunnelOpenTest.DEADLINES, released -> { });
        endpoint.connect(frame -> SendResult.QUEUED); // credits go nowhere: the test sends less than a window
        endpoint.openedBy(WINDOW);
        return endpoint;
    }

    private CompletableFuture<String> receiveOnAnotherThread() {
        CompletableFuture<String> received = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                received.complete(text(endpoint.receive(LONG)));
            } catch (RuntimeException e) {
                received.completeExceptionally(e);
            }
        });
        return received;
    }

    /** Waits until some thread is parked in {@code receive}: the endpoint counts it as waiting only then. */
    private void awaitReaderWaiting(CompletableFuture<String> receiving) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!endpoint.hasWaitingReader()) {
            assertThat(receiving).as("the reader got something before any was sent").isNotDone();
            assertThat(System.nanoTime() - deadline).as("the reader started waiting").isNegative();
            Thread.sleep(1);
        }
    }

    private static WireMessage.TunnelData data(String text) {
        return new WireMessage.TunnelData(1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
