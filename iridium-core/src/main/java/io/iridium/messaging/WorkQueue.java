package io.iridium.messaging;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs handler work with bounded concurrency and bounded memory, on virtual threads.
 *
 * <p>{@link #offer} admits a task only if the bytes it holds fit under the memory bound; it then
 * joins a FIFO queue. At most {@code concurrency} workers drain the queue; a worker is a virtual
 * thread started when work arrives and there are fewer than {@code concurrency} running, and it
 * exits when the queue is empty. With a concurrency of one, tasks run one at a time in offer
 * order, which is what gives FIFO delivery per sender.
 *
 * <p>Invariant: {@code queuedBytes} counts the bytes of every admitted task not yet finished, so
 * memory held by waiting and running handlers never exceeds the bound. A worker re-checks the
 * queue after announcing its exit, so a task offered in that instant is never stranded.
 */
final class WorkQueue {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

    /** What a queued task costs beyond its body: the task object, its closure and the queue node. */
    static final int TASK_OVERHEAD_BYTES = 64;

    private final String name;
    private final int concurrency;
    private final long maxBytes;
    private final Executor threads;
    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean closed;

    WorkQueue(String name, int concurrency, long maxBytes, Executor threads) {
        this.name = name;
        this.concurrency = concurrency;
        this.maxBytes = maxBytes;
        this.threads = threads;
    }

    /**
     * Admits {@code task}, holding {@code bytes} of memory until it finishes.
     *
     * @return false when closed or when the bytes do not fit: the caller refuses or drops
     */
    boolean offer(long bodyBytes, Runnable task) {
        if (closed) {
            return false;
        }
        long bytes = bodyBytes + TASK_OVERHEAD_BYTES; // so a flood of empty messages is bounded too
        long after = queuedBytes.addAndGet(bytes);
        if (after > maxBytes && after != bytes) { // a single oversized task is still admitted when idle
            queuedBytes.addAndGet(-bytes);
            return false;
        }
        queue.add(new Work(bytes, task));
        startWorkerIfNeeded();
        return true;
    }

    /** Stops admitting work; what was admitted still runs. */
    void close() {
        closed = true;
    }

    /** Bytes admitted and not yet finished. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    private void startWorkerIfNeeded() {
        while (true) {
            int running = workers.get();
            if (running >= concurrency || queue.isEmpty()) {
                return;
            }
            if (workers.compareAndSet(running, running + 1)) {
                threads.execute(this::drain);
                return;
            }
        }
    }

    private void drain() {
        while (true) {
            Work work;
            while ((work = queue.poll()) != null) {
                try {
                    work.task.run();
                } catch (RuntimeException | Error e) {
                    log.warn("{}: handler failed", name, e);
                } finally {
                    queuedBytes.addAndGet(-work.bytes);
                }
            }
            workers.decrementAndGet();
            // work offered after our last poll but before the decrement would otherwise wait
            if (queue.isEmpty() || !tryRejoin()) {
                return;
            }
        }
    }

    private boolean tryRejoin() {
        while (true) {
            int running = workers.get();
            if (running >= concurrency) {
                return false;
            }
            if (workers.compareAndSet(running, running + 1)) {
                return true;
            }
        }
    }

    private record Work(long bytes, Runnable task) {}
}
