package io.iridium.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RequestChains} against requests answered on another thread, as a socket's would be. */
class RequestChainsTest {
    private final ExecutorService replies = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        replies.shutdownNow();
    }

    @Test
    void issuesExactlyTheCount_neverMoreInFlightThanTheWindow() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        RequestChains.run(8, 5_000, Duration.ofSeconds(10), () -> {
            issued.incrementAndGet();
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                inFlight.decrementAndGet();
                return "reply";
            }, replies);
        });
        assertThat(issued).hasValue(5_000);
        assertThat(inFlight).hasValue(0);
        assertThat(mostInFlight.get()).isBetween(1, 8);
    }

    @Test
    void aFailedRequest_endsTheRunWithItsCause() {
        AtomicInteger issued = new AtomicInteger();
        assertThatThrownBy(() -> RequestChains.run(4, 1_000, Duration.ofSeconds(10), () -> {
            int n = issued.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                if (n == 100) {
                    throw new IllegalArgumentException("no such service");
                }
                return "reply";
            }, replies);
        })).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("no such service");
    }

    @Test
    void aRequestRefusedWhenIssued_endsTheRunWithItsCause() {
        assertThatThrownBy(() -> RequestChains.run(4, 1_000, Duration.ofSeconds(10), () -> {
            throw new IllegalStateException("outbound queue full");
        })).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("outbound queue full");
    }

    @Test
    void repliesThatStopComing_failAfterTheTimeout() {
        assertThatThrownBy(() -> RequestChains.run(4, 10, Duration.ofMillis(200), CompletableFuture::new))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no reply for");
    }
}
