package io.iridium.messaging;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs handler work with bounded concurrency and bounded memory, on virtual threads.
 *
 * <p>{@link #offer} admits a task only if the bytes it holds fit under the memory bound; it then
 * joins a FIFO queue. At most {@code concurrency} workers drain the queue; a worker is a virtual
 * thread, and it exits when the queue is empty. With a concurrency of one, tasks run one at a
 * time in offer order, which is what gives FIFO delivery per sender.
 *
 * <p>Workers start one at a time. Work arriving while a started worker has not yet begun (a
 * <em>pending</em> start) starts no other: the pending one will see it. A worker that takes a
 * task and finds more queued starts the next worker before it runs the task, so a handler that
 * blocks never holds up the tasks behind it for longer than a thread start, and a burst still
 * spreads over up to {@code concurrency} workers. What this saves is the sender's time: a read
 * burst of requests on an event loop starts one virtual thread, not one per request up to the
 * concurrency, and a virtual-thread start from outside the scheduler (a submission and usually
 * a carrier wake-up) took a third of a busy server event loop's time.
 *
 * <p>A {@linkplain #offerHeld held} task finishes later than its worker returns (an asynchronous
 * handler whose reply comes from elsewhere): it is given a release callback and keeps its bytes
 * until it calls it, while its worker moves on to the next task.
 *
 * <p>Invariant: {@code queuedBytes} counts the bytes of every admitted task not yet finished (or
 * released), so memory held by waiting, running and answering handlers never exceeds the bound.
 * A worker re-checks the queue after announcing its exit, so a task offered in that instant is
 * never stranded.
 */
final class WorkQueue {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

    /** What a queued task costs beyond its body: the task object, its closure and the queue node. */
    static final int TASK_OVERHEAD_BYTES = 64;

    private final String name;
    private final int concurrency;
    private final long maxBytes;
    private final Executor threads;
    /** Slots per chunk of the queue: a chunk is allocated per this many queued tasks, not a node per task. */
    private static final int CHUNK = 128;

    private final MpmcUnboundedXaddArrayQueue<Work> queue = new MpmcUnboundedXaddArrayQueue<>(CHUNK, 1);
    private final AtomicInteger workers = new AtomicInteger();
    /** Whether a worker was started and has not yet begun draining; no other starts meanwhile. */
    private final AtomicBoolean startPending = new AtomicBoolean();
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
        return admit(bodyBytes, task, null, false);
    }

    /** How many workers may run at once: the handler's concurrency. */
    int concurrency() {
        return concurrency;
    }

    /**
     * Admits {@code task} (a batch of work that could also be offered piece by piece) only if its
     * bytes fit under the bound, even when the queue is idle.
     */
    boolean offerStrictly(long bodyBytes, Runnable task) {
        return admit(bodyBytes, task, null, true);
    }

    /**
     * Admits {@code task}, holding {@code bytes} of memory until the task calls the release
     * callback it is given (exactly once; later calls do nothing). If the task throws before
     * releasing, its bytes are released then.
     *
     * @return false when closed or when the bytes do not fit: the caller refuses or drops
     */
    boolean offerHeld(long bodyBytes, HeldTask task) {
        return admit(bodyBytes, null, task, false);
    }

    /**
     * Holds {@code bodyBytes} of the memory bound for work the caller runs itself (a non-blocking
     * handler run on the delivering thread), under the same rule as {@link #offer}.
     *
     * @return the release callback (idempotent), or null when closed or the bytes do not fit
     */
    Runnable hold(long bodyBytes) {
        return reserve(bodyBytes, null, null, false);
    }

    private boolean admit(long bodyBytes, Runnable plain, HeldTask held, boolean strictly) {
        Work work = reserve(bodyBytes, plain, held, strictly);
        if (work == null) {
            return false;
        }
        queue.offer(work);
        startWorkerIfNeeded();
        return true;
    }

    /** Counts a task's bytes against the bound; null, counting nothing, when closed or they do not fit. */
    private Work reserve(long bodyBytes, Runnable plain, HeldTask held, boolean strictly) {
        if (closed) {
            return null;
        }
        long bytes = bodyBytes + TASK_OVERHEAD_BYTES; // so a flood of empty messages is bounded too
        long after = queuedBytes.addAndGet(bytes);
        if (after > maxBytes && (strictly || after != bytes)) { // else a single oversized task is still admitted when idle
            queuedBytes.addAndGet(-bytes);
            return null;
        }
        return new Work(bytes, plain, held);
    }

    /** Stops admitting work; what was admitted still runs. */
    void close() {
        closed = true;
    }

    /** Bytes admitted and not yet finished. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Starts a worker if work is queued, none is pending, and fewer than the concurrency run. */
    private void startWorkerIfNeeded() {
        if (queue.isEmpty() || startPending.get() || !startPending.compareAndSet(false, true)) {
            return;
        }
        while (true) {
            int running = workers.get();
            if (running >= concurrency || queue.isEmpty()) {
                startPending.set(false);
                // a worker that exited after our check may have left work behind with no start pending
                if (!queue.isEmpty() && workers.get() < concurrency) {
                    startWorkerIfNeeded();
                }
                return;
            }
            if (workers.compareAndSet(running, running + 1)) {
                try {
                    threads.execute(this::drain);
                } catch (RuntimeException | Error e) {
                    workers.decrementAndGet();
                    startPending.set(false);
                    throw e;
                }
                return;
            }
        }
    }

    private void drain() {
        startPending.set(false);
        while (true) {
            Work work;
            while ((work = queue.poll()) != null) {
                startWorkerIfNeeded(); // more queued: the next worker starts before this task runs
                try {
                    if (work.plain != null) {
                        work.plain.run();
                        work.run();
                    } else {
                        work.held.run(work);
                    }
                } catch (RuntimeException | Error e) {
                    work.run();
                    log.warn("{}: handler failed", name, e);
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

    /** A task that finishes when it calls {@code release}, which may be after it returns. */
    @FunctionalInterface
    interface HeldTask {
        void run(Runnable release);
    }

    /** An admitted task, plain or held; as a {@link Runnable} it is the task's release callback. */
    private final class Work extends java.util.concurrent.atomic.AtomicBoolean implements Runnable {
        final long bytes;
        final Runnable plain;
        final HeldTask held;

        Work(long bytes, Runnable plain, HeldTask held) {
            this.bytes = bytes;
            this.plain = plain;
            this.held = held;
        }

        @Override
        public void run() {
            if (compareAndSet(false, true)) {
                queuedBytes.addAndGet(-bytes);
            }
        }
    }
}
