package io.iridium.bench.worker;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Keeps a fixed number of asynchronous requests in flight as that many chains: each completion
 * issues the next request from the thread that completed it, so the load generator adds no
 * thread of its own to the round trip (a window guarded by a semaphore wakes the issuing thread
 * once per reply, and on a two-core machine that thread competes with the system measured).
 *
 * <p>Every system's pipelined client (Iridium's and jnats's; ZeroMQ's single DEALER thread keeps
 * its window itself) uses this same pattern. A failed request (or one refused when issued) stops
 * its chain and ends the run with the failure; requests already in flight are not waited for
 * then. A system whose requests can complete before {@code issue} returns would recurse here;
 * none measured does (every reply crosses a socket).
 */
final class RequestChains implements BiConsumer<Object, Throwable> {
    private final Supplier<? extends CompletionStage<?>> issue;
    private final long count;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    private RequestChains(Supplier<? extends CompletionStage<?>> issue, long count) {
        this.issue = issue;
        this.count = count;
    }

    /**
     * Sends {@code count} requests with {@code outstanding} in flight, each made by
     * {@code issue}, and returns when all have completed.
     *
     * @throws IllegalStateException if a request failed, or if no request completed for {@code timeout}
     */
    static void run(int outstanding, long count, Duration timeout, Supplier<? extends CompletionStage<?>> issue)
            throws InterruptedException {
        if (count <= 0) {
            return;
        }
        RequestChains chains = new RequestChains(issue, count);
        for (int i = 0; i < outstanding; i++) {
            chains.next();
        }
        long before = chains.completed.get();
        while (!chains.finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            long now = chains.completed.get();
            if (now == before) {
                throw new IllegalStateException("no reply for " + timeout + ": " + now + " of " + count + " completed");
            }
            before = now;
        }
        if (chains.failure.get() != null) {
            throw new IllegalStateException("a request failed", chains.failure.get());
        }
    }

    private void next() {
        if (failure.get() == null && issued.getAndIncrement() < count) {
            CompletionStage<?> request;
            try {
                request = issue.get();
            } catch (RuntimeException refused) { // a request refused at once ends the run too
                accept(null, refused);
                return;
            }
            request.whenComplete(this);
        }
    }

    /** A request completed: counts it and issues the next on this chain. */
    @Override
    public void accept(Object reply, Throwable error) {
        if (error != null) {
            failure.compareAndSet(null, error); // a failed chain stops here: no recursion on errors
            finished.countDown();
            return;
        }
        if (completed.incrementAndGet() == count) {
            finished.countDown();
        } else {
            next();
        }
    }
}
