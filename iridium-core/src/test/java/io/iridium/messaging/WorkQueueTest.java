package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkQueue}'s bounds, driven by an executor that runs workers when the test says so:
 * plain tasks release their memory when they return, held tasks when they call release (once).
 */
class WorkQueueTest {
    /** Collects worker starts; {@link #runAll} runs them on the test thread. */
    static final class ManualExecutor implements Executor {
        final List<Runnable> started = new ArrayList<>();

        @Override
        public void execute(Runnable command) {
            started.add(command);
        }

        void runAll() {
            while (!started.isEmpty()) {
                started.remove(0).run();
            }
        }
    }

    static final long BODY = 100;
    static final long COST = BODY + WorkQueue.TASK_OVERHEAD_BYTES;

    @Test
    void plainTasks_releaseTheirBytesWhenTheyReturn_andRunInOrder() {
        ManualExecutor threads = new ManualExecutor();
        WorkQueue queue = new WorkQueue("test", 1, 10 * COST, threads, new ManualTimer());
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            assertThat(queue.offer(BODY, () -> ran.add(n))).isTrue();
        }
        assertThat(queue.queuedBytes()).isEqualTo(3 * COST);
        assertThat(threads.started).hasSize(1); // concurrency 1: one worker drains all
        threads.runAll();
        assertThat(ran).containsExactly(0, 1, 2);
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void heldTasks_keepTheirBytesUntilReleased_soTheMemoryBoundStillHolds() {
        ManualExecutor threads = new ManualExecutor();
        WorkQueue queue = new WorkQueue("test", 1, 2 * COST, threads, new ManualTimer());
        List<Runnable> releases = new ArrayList<>();
        assertThat(queue.offerHeld(BODY, releases::add)).isTrue();
        assertThat(queue.offerHeld(BODY, releases::add)).isTrue();
        threads.runAll();
        assertThat(releases).hasSize(2); // both ran: the worker did not wait for the first release
        assertThat(queue.queuedBytes()).isEqualTo(2 * COST);
        assertThat(queue.offer(BODY, () -> { })).as("over the bound while both are held").isFalse();

        releases.get(0).run();
        releases.get(0).run(); // a second release is ignored
        assertThat(queue.queuedBytes()).isEqualTo(COST);
        assertThat(queue.offer(BODY, () -> { })).isTrue();
        threads.runAll();
        releases.get(1).run();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void anOversizedTask_isAdmittedWhenIdle_unlessOfferedStrictly() {
        ManualExecutor threads = new ManualExecutor();
        WorkQueue queue = new WorkQueue("test", 1, COST, threads, new ManualTimer());
        assertThat(queue.offerStrictly(3 * BODY, () -> { })).isFalse();
        assertThat(queue.queuedBytes()).isZero();
        assertThat(queue.offer(3 * BODY, () -> { })).isTrue();
        assertThat(queue.offer(BODY, () -> { })).isFalse();
        threads.runAll();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aTaskThatThrows_releasesItsBytes_andTheWorkerGoesOn() {
        ManualExecutor threads = new ManualExecutor();
        WorkQueue queue = new WorkQueue("test", 1, 10 * COST, threads, new ManualTimer());
        List<String> ran = new ArrayList<>();
        queue.offerHeld(BODY, release -> {
            throw new IllegalStateException("handler bug");
        });
        queue.offer(BODY, () -> {
            throw new IllegalStateException("handler bug");
        });
        queue.offer(BODY, () -> ran.add("after"));
        threads.runAll();
        assertThat(ran).containsExactly("after");
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void slowTasks_spreadOverWorkers_eachStartingTheNextBeforeItsTaskRuns() {
        ManualExecutor threads = new ManualExecutor();
        AtomicLong clock = new AtomicLong();
        WorkQueue queue = new WorkQueue("test", 4, 100 * COST, threads, new ManualTimer(), clock::get);
        List<Integer> startsSeenByTask = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertThat(queue.offer(BODY, () -> {
                startsSeenByTask.add(threads.started.size());
                clock.addAndGet(1_000_000); // each task takes a millisecond
            })).isTrue();
        }
        assertThat(threads.started).as("the offers start one worker, then wait for it").hasSize(1);

        threads.started.remove(0).run(); // the first worker drains everything, since the helper it started never ran
        assertThat(startsSeenByTask).hasSize(10);
        assertThat(startsSeenByTask.get(0)).as("a helper was started before the first task ran").isEqualTo(1);
        assertThat(threads.started).as("one helper pending at a time, never one per task").hasSize(1);
        threads.runAll();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void quickTasks_runOnOneWorker_withoutWakingHelpers() {
        ManualExecutor threads = new ManualExecutor();
        WorkQueue queue = new WorkQueue("test", 4, 100 * COST, threads, new ManualTimer(), () -> 0); // tasks take no time
        settleQuick(queue, threads); // the first tasks of a queue count as slow

        for (int i = 0; i < 10; i++) {
            queue.offer(BODY, () -> { });
        }
        assertThat(threads.started).hasSize(1);
        threads.started.remove(0).run();
        assertThat(threads.started).as("no helper for a backlog one worker clears at once").isEmpty();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aQuickQueueWhoseTaskBlocks_getsAHelperFromTheNextOffer() {
        WorkQueue queue = settledQuickQueue();
        TaskAssertions inTask = new TaskAssertions();
        queue.offer(BODY, inTask.task(() -> {
            clock.addAndGet(WorkQueue.STALL_NANOS + 1); // stuck this long in the handler, when...
            queue.offer(BODY, () -> { }); // ...another request arrives
            assertThat(threads.started).as("the offer saw the worker stuck and started a helper").hasSize(1);
        }));
        threads.runAll();
        inTask.verify();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aQuickQueueWhoseTaskBlocks_getsAHelperFromTheTimer_whenNoOfferComes() {
        WorkQueue queue = settledQuickQueue();
        List<String> ran = new ArrayList<>();
        TaskAssertions inTask = new TaskAssertions();
        queue.offer(BODY, inTask.task(() -> {
            clock.addAndGet(WorkQueue.STALL_NANOS + 1); // blocks, and nothing else arrives...
            assertThat(threads.started).isEmpty();
            assertThat(timer.tasks).as("the worker declined help and armed a check").hasSize(1);
            timer.fireAll();
            assertThat(threads.started).as("the check saw the worker stuck").hasSize(1);
            threads.started.remove(0).run(); // the helper runs the task queued behind this one
            assertThat(ran).containsExactly("behind");
        }));
        queue.offer(BODY, () -> ran.add("behind"));
        threads.started.remove(0).run();
        inTask.verify();
        assertThat(ran).containsExactly("behind");
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aCheckThatFiresBeforeTheWorkerIsStuck_looksAgainOnALaterTick() {
        WorkQueue queue = settledQuickQueue();
        List<String> ran = new ArrayList<>();
        queue.offer(BODY, () -> ran.add("quick")); // declines help and arms the one check...
        TaskAssertions inTask = new TaskAssertions();
        queue.offer(BODY, inTask.task(() -> {
            timer.fireAll(); // ...which fires just after this task began, before it counts as stuck
            assertThat(threads.started).as("not stuck yet").isEmpty();
            assertThat(timer.tasks).as("work still waits, so the check is armed again").hasSize(1);
            clock.addAndGet(WorkQueue.STALL_NANOS + 1);
            timer.fireAll();
            assertThat(threads.started).as("the later check saw the worker stuck").hasSize(1);
            threads.started.remove(0).run();
            assertThat(ran).containsExactly("quick", "behind");
        }));
        queue.offer(BODY, () -> ran.add("behind"));
        threads.started.remove(0).run();
        inTask.verify();
        assertThat(ran).containsExactly("quick", "behind");
        assertThat(queue.queuedBytes()).isZero();
        timer.fireAll();
        assertThat(timer.tasks).as("nothing waits: no more checks").isEmpty();
    }

    @Test
    void workOfferedBesideAWorkerThatJustBegan_isCoveredByACheck_inCaseThatWorkerBlocks() {
        WorkQueue queue = settledQuickQueue();
        List<String> ran = new ArrayList<>();
        TaskAssertions inTask = new TaskAssertions();
        queue.offer(BODY, inTask.task(() -> { // alone in the queue: its worker arms nothing...
            queue.offer(BODY, () -> ran.add("behind")); // ...so the offer, finding it busy, does
            assertThat(threads.started).as("busy, not stuck: no helper yet").isEmpty();
            assertThat(timer.tasks).hasSize(1);
            clock.addAndGet(WorkQueue.STALL_NANOS + 1); // then this task blocks
            timer.fireAll();
            assertThat(threads.started).hasSize(1);
            threads.started.remove(0).run();
            assertThat(ran).containsExactly("behind");
        }));
        threads.started.remove(0).run();
        inTask.verify();
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void aBurstAfterAnIdleSpell_isNotMistakenForStuckWorkers() {
        WorkQueue queue = settledQuickQueue();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1)); // no task started for a second: the queue was idle
        for (int i = 0; i < 10; i++) {
            queue.offer(BODY, () -> { }); // the first starts a worker; the rest find it starting
        }
        assertThat(threads.started).hasSize(1);
        threads.started.remove(0).run();
        assertThat(threads.started).as("the tasks are still quick: no helper").isEmpty();
        assertThat(queue.queuedBytes()).isZero();
    }

    /**
     * Keeps what a task's own assertions throw, which its worker would only log as a handler
     * failure, and rethrows it on the test thread.
     */
    static final class TaskAssertions {
        private Throwable failure;
        private boolean finished;

        Runnable task(Runnable body) {
            return () -> {
                try {
                    body.run();
                    finished = true;
                } catch (Throwable t) {
                    failure = t;
                }
            };
        }

        void verify() {
            if (failure != null) {
                throw new AssertionError("an assertion inside the task failed", failure);
            }
            assertThat(finished).as("the task ran to its end").isTrue();
        }
    }

    /** The manual threads, timer and clock of the queue {@link #settledQuickQueue} makes. */
    private final ManualExecutor threads = new ManualExecutor();
    private final ManualTimer timer = new ManualTimer();
    private final AtomicLong clock = new AtomicLong();

    /**
     * A queue of concurrency 4 on this test's manual threads, timer and clock, settled so that its
     * tasks count as quick, with no check left armed: any check armed while settling has fired,
     * found nothing queued, and armed no other.
     */
    private WorkQueue settledQuickQueue() {
        WorkQueue queue = new WorkQueue("test", 4, 100 * COST, threads, timer, clock::get);
        settleQuick(queue, threads);
        timer.fireAll();
        assertThat(timer.tasks).isEmpty();
        return queue;
    }

    /** Runs enough instant tasks that the queue's average says its tasks are quick. */
    private static void settleQuick(WorkQueue queue, ManualExecutor threads) {
        for (int i = 0; i < 40; i++) {
            queue.offer(BODY, () -> { });
        }
        threads.runAll();
    }

    @Test
    void blockingTasks_stillRunConcurrently_upToTheConcurrency_evenAfterQuickOnes() throws Exception {
        int concurrency = 4;
        HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
        try {
            for (int round = 0; round < 50; round++) { // the interleavings vary from round to round
                WorkQueue queue = new WorkQueue("test", concurrency, 1000 * COST, Thread::startVirtualThread, timer);
                for (int i = 0; i < 100; i++) { // quick ones first: the queue runs them on one worker
                    queue.offer(BODY, () -> { });
                }
                CyclicBarrier allRunning = new CyclicBarrier(concurrency + 1); // passes only if all four block at once
                for (int i = 0; i < concurrency; i++) {
                    assertThat(queue.offer(BODY, () -> {
                        try {
                            allRunning.await(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })).isTrue();
                }
                allRunning.await(10, TimeUnit.SECONDS);
            }
        } finally {
            timer.stop();
        }
    }

    /** Collects timer tasks; {@link #fireAll} runs them on the test thread. */
    static final class ManualTimer implements Timer {
        final List<TimerTask> tasks = new ArrayList<>();

        @Override
        public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
            tasks.add(task);
            return null; // WorkQueue never cancels its checks
        }

        void fireAll() {
            List<TimerTask> due = new ArrayList<>(tasks);
            tasks.clear();
            for (TimerTask task : due) {
                try {
                    task.run(null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public Set<Timeout> stop() {
            return Set.of();
        }
    }
}
