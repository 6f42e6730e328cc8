package io.iridium.cli.demo;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends asynchronous requests from one demo node to a cluster with at most {@code maxInFlight}
 * outstanding, recording how each ends in a {@link RequestTally}. A request that cannot even be
 * started (the call throws) is recorded as a failure too, so the tally always balances.
 */
final class RequestLoad {

    private final DemoNode client;
    private final String cluster;
    private final int maxInFlight;
    private final Duration timeout;
    private final Semaphore slots;
    private final RequestTally tally = new RequestTally();

    RequestLoad(DemoNode client, String cluster, int maxInFlight, Duration timeout) {
        this.client = client;
        this.cluster = cluster;
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
        this.slots = new Semaphore(maxInFlight);
    }

    RequestTally tally() {
        return tally;
    }

    /**
     * Sends one request once a slot is free.
     *
     * @return false when no slot freed up before {@code deadlineNanos} (nothing was sent)
     */
    boolean send(byte[] request, long deadlineNanos) throws InterruptedException {
        if (!slots.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        tally.issued();
        try {
            client.runtime().requestAsync(cluster, request, timeout).whenComplete((reply, failure) -> {
                tally.ended(reply, failure);
                slots.release();
            });
        } catch (RuntimeException e) {
            tally.ended(null, e);
            slots.release();
        }
        return true;
    }

    /** Waits until every request sent has ended; false if some had not by {@code deadlineNanos}. */
    boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        if (!slots.tryAcquire(maxInFlight, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        slots.release(maxInFlight);
        return true;
    }
}
