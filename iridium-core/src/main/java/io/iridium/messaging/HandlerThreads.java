package io.iridium.messaging;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs each handler task on a new virtual thread, until {@link #shutdown}; then refuses tasks
 * with {@link RejectedExecutionException}.
 *
 * <p>It replaces {@code Executors.newThreadPerTaskExecutor}, which names every thread and records
 * it in a concurrent set until it ends so that it can be awaited. The messenger never awaits its
 * handlers, and for a small request the name and the set cost about as much as the handler, so
 * these threads are unnamed and untracked.
 */
final class HandlerThreads implements Executor {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the node is closing");
        }
        Thread.startVirtualThread(task);
    }

    /** Refuses further tasks; the running ones go on. */
    void shutdown() {
        shutdown = true;
    }
}
