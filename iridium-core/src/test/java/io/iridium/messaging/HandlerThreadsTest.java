package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandlerThreadsTest {

    @Test
    void runsEachTaskOnAVirtualThread_untilShutdown() throws Exception {
        HandlerThreads threads = new HandlerThreads();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        threads.execute(() -> ranOn.complete(Thread.currentThread()));
        assertThat(ranOn.get(10, TimeUnit.SECONDS).isVirtual()).isTrue();

        threads.shutdown();
        assertThatThrownBy(() -> threads.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }
}
