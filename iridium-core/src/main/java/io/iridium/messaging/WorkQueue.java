package io.iridium.messaging;

import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
 * <p>Workers start one at a time, and only when help pays. Work arriving while a started worker
 * has not yet begun (a <em>pending</em> start) starts no other: the pending one will see it. A
 * worker that takes a task and finds more queued starts the next worker before it runs the task
 * when the backlog would take it alone longer than {@link #HELP_AFTER_NANOS} to clear, judged by
 * the running average of recent tasks' run times. Handlers that block or compute for long
 * therefore spread over up to {@code concurrency} workers at once, while quick ones are run by
 * one worker, on one carrier: starting a helper for a task that takes microseconds wakes a
 * second carrier thread (a futex wake-up and a context switch on each side), which costs more
 * than the task. A handler that blocks where its predecessors were quick is caught two ways:
 * an offer that finds the running workers started no task for {@link #STALL_NANOS} starts a
 * helper, and so does a check on the timer wheel when no offer comes. A check is armed
 * ({@link #RESCUE_DELAY_MILLIS} ahead) whenever work is left queued beside busy workers with room
 * for more (a worker declined help, or an offer found the workers busy but not yet stuck), and it
 * arms itself again for as long as that lasts; the stuck task's time so far then counts in the
 * average, so helpers chain on at once. So queued work never waits for ever behind a blocked handler
 * (one that waits for a later request, say): at worst a tick or two of the wheel (the
 * messenger's ticks are 10 ms) when nothing else arrives. The first tasks of a queue count as
 * slow.
 *
 * <p>What this saves is mostly the sender's time: a read burst of requests on an event loop
 * starts one virtual thread, not one per request up to the concurrency, and a virtual-thread
 * start from outside the scheduler (a submission and usually a carrier wake-up) took a third of
 * a busy server event loop's time.
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

    /** A worker calls for help when it expects its backlog to take longer than this alone. */
    static final long HELP_AFTER_NANOS = 50_000;
    /** An offer starts a helper when the running workers have started no task for this long. */
    static final long STALL_NANOS = 200_000;
    /** How long after a worker declined help the timer checks that the workers are not stuck. */
    static final long RESCUE_DELAY_MILLIS = 5;

    private final LongSupplier clock;
    private final Timer timer;
    /** Whether a stall check is armed on the timer; at most one is. */
    private final AtomicBoolean rescueArmed = new AtomicBoolean();
    private final TimerTask rescue = timeout -> checkNotStuck();
    private final MpmcUnboundedXaddArrayQueue<Work> queue = new MpmcUnboundedXaddArrayQueue<>(CHUNK, 1);
    private final AtomicInteger workers = new AtomicInteger();
    /** Whether a worker was started and has not yet begun draining; no other starts meanwhile. */
    private final AtomicBoolean startPending = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean closed;
    /**
     * Running average of how long a task runs, in nanoseconds (weight 1/8 to the newest). Updated
     * by workers without synchronization: a lost update only delays the estimate.
     */
    private volatile long averageTaskNanos = HELP_AFTER_NANOS;
    /** When a worker last started a task; what an offer reads to tell stuck workers from busy ones. */
    private volatile long lastTaskStartNanos;

    /**
     * @param threads starts workers (a new virtual thread each)
     * @param timer   runs the stall checks
     */
    WorkQueue(String name, int concurrency, long maxBytes, Executor threads, Timer timer) {
        this(name, concurrency, maxBytes, threads, timer, System::nanoTime);
    }

    /** With the clock that times tasks: {@link System#nanoTime} but in tests. */
    WorkQueue(String name, int concurrency, long maxBytes, Executor threads, Timer timer, LongSupplier clock) {
        this.clock = clock;
        this.timer = timer;
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
        startIfIdleOrStuck();
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

    /**
     * Starts a worker if none runs, or if those that run have started no task for
     * {@link #STALL_NANOS}: they are stuck in handlers, whatever the average said, and the time
     * they have been stuck counts in it, so the helper started here calls for the next. Work left
     * queued beside busy workers, with room for more, gets a check on the timer: the workers may
     * all have just begun handlers that block, and then no worker would look at the queue again
     * until one of them returns.
     */
    private void startIfIdleOrStuck() {
        int running = workers.get();
        if (running == 0) {
            startWorkerIfNeeded();
            return;
        }
        if (queue.isEmpty()) {
            return;
        }
        long stuckFor = clock.getAsLong() - lastTaskStartNanos;
        if (stuckFor > STALL_NANOS) {
            if (averageTaskNanos < stuckFor) {
                averageTaskNanos = stuckFor;
            }
            startWorkerIfNeeded();
        } else if (running < concurrency) {
            armRescue();
        }
    }

    /** The timer's stall check: a helper if the workers are stuck, and another check while work waits. */
    private void checkNotStuck() {
        rescueArmed.set(false);
        try {
            startIfIdleOrStuck();
        } catch (RejectedExecutionException closing) {
            return; // the node is closing: the workers that run finish the queue alone
        }
        if (!queue.isEmpty() && workers.get() < concurrency) {
            armRescue(); // busy but not stuck yet, or a helper still starting: look again later
        }
    }

    /** Arms a stall check on the timer, unless one is armed. */
    private void armRescue() {
        if (!rescueArmed.get() && rescueArmed.compareAndSet(false, true)) {
            try {
                timer.newTimeout(rescue, RESCUE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (IllegalStateException stopped) {
                rescueArmed.set(false); // the node is closing
            }
        }
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
                lastTaskStartNanos = clock.getAsLong(); // a worker starting is not a worker stuck
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
                long start = clock.getAsLong();
                lastTaskStartNanos = start;
                int backlog = queue.size();
                if (backlog > 0) {
                    if (backlog > HELP_AFTER_NANOS / Math.max(1, averageTaskNanos)) { // backlog × average > 50 µs
                        startHelper(); // long for one: a helper starts before this task runs
                    } else if (workers.get() < concurrency) {
                        armRescue(); // quick work, run alone; unless this task blocks
                    }
                }
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
                long average = averageTaskNanos;
                averageTaskNanos = average + ((clock.getAsLong() - start - average) >> 3);
            }
            workers.decrementAndGet();
            // work offered after our last poll but before the decrement would otherwise wait
            if (queue.isEmpty() || !tryRejoin()) {
                return;
            }
        }
    }

    /** Starts a helper from a worker; when the node is closing, this worker carries on alone. */
    private void startHelper() {
        try {
            startWorkerIfNeeded();
        } catch (RejectedExecutionException closing) {
            // no new threads once the node closes; the running ones still drain what was admitted
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
