package io.iridium.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An idle event loop polls, yielding, for its budget and then blocks; it stops polling after
 * {@link SpinThenBlock#MISSES_BEFORE_BLOCKING} fruitless waits, probes again every
 * {@link SpinThenBlock#PROBE_AFTER_BLOCKS} blocks, and polls again once a poll finds work. Driven
 * by a fake clock; the last tests run real event loops with the strategy.
 */
class SpinThenBlockTest {
    static final long SPIN = 50_000;

    long now = 1_000_000;
    int pauses;
    int polls;
    int ready;
    final IntSupplier selectNow = () -> {
        polls++;
        return ready;
    };
    final SpinThenBlock strategy = new SpinThenBlock(SPIN, () -> now, () -> pauses++);

    /** Runs one idle wait: polls until the strategy blocks, the clock moving {@code step} per poll. */
    int idleWait(long step) throws Exception {
        int continues = 0;
        while (true) {
            int decision = strategy.calculateStrategy(selectNow, false);
            if (decision != SelectStrategy.CONTINUE) {
                assertThat(decision).isEqualTo(SelectStrategy.SELECT);
                return continues;
            }
            continues++;
            now += step;
        }
    }

    /** A wait whose polls find a message after {@code polls} empty ones. */
    void waitThatPays(int emptyPolls) throws Exception {
        for (int i = 0; i < emptyPolls; i++) {
            assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
            now += 1_000;
        }
        ready = 1;
        assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(1);
        ready = 0;
    }

    @Test
    void readyEvents_areReturnedAtOnce_andPendingTasksTakeANonBlockingPoll() throws Exception {
        ready = 3;
        assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(3);
        ready = 0;
        assertThat(strategy.calculateStrategy(selectNow, true)).isZero();
        assertThat(pauses).isZero();
    }

    @Test
    void idleLoop_pollsYieldingForItsBudget_thenBlocks() throws Exception {
        int continues = idleWait(10_000);
        assertThat(continues).isEqualTo(5); // polls at 0, 10, 20, 30 and 40 µs; blocks at 50 µs
        assertThat(pauses).isEqualTo(5);
        assertThat(strategy.polling()).isTrue(); // one miss changes nothing
    }

    @Test
    void missesInARow_stopPolling_andABlockThenPollsNothing() throws Exception {
        for (int i = 0; i < SpinThenBlock.MISSES_BEFORE_BLOCKING; i++) {
            assertThat(strategy.polling()).isTrue();
            idleWait(10_000);
        }
        assertThat(strategy.polling()).isFalse();
        int pollsBefore = polls;
        assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).isEqualTo(pollsBefore); // straight to epoll_wait, as Netty's default
    }

    @Test
    void aWaitThatPays_resetsTheMisses() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < SpinThenBlock.MISSES_BEFORE_BLOCKING - 1; i++) {
                idleWait(10_000);
            }
            waitThatPays(3);
        }
        assertThat(strategy.polling()).isTrue();
    }

    @Test
    void afterPollingStopped_aProbeEveryFewDozenBlocks_andAProbeThatPaysBringsPollingBack() throws Exception {
        for (int i = 0; i < SpinThenBlock.MISSES_BEFORE_BLOCKING; i++) {
            idleWait(10_000);
        }
        for (int block = 1; block < SpinThenBlock.PROBE_AFTER_BLOCKS; block++) {
            assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
        }
        assertThat(strategy.polling()).isFalse();
        assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(strategy.polling()).isTrue(); // the next wait probes

        idleWait(10_000); // the probe misses: blocking again for as many blocks
        assertThat(strategy.polling()).isFalse();
        for (int block = 0; block < SpinThenBlock.PROBE_AFTER_BLOCKS; block++) {
            strategy.calculateStrategy(selectNow, false);
        }
        waitThatPays(2); // this probe pays
        for (int i = 0; i < SpinThenBlock.MISSES_BEFORE_BLOCKING - 1; i++) {
            assertThat(strategy.polling()).isTrue();
            idleWait(10_000);
        }
        assertThat(strategy.polling()).isTrue();
    }

    @Test
    void activityBetweenWaits_doesNotCountAsAMissOrAPay() throws Exception {
        for (int i = 0; i < SpinThenBlock.MISSES_BEFORE_BLOCKING - 1; i++) {
            idleWait(10_000);
            ready = 2; // the block woke with events: the loop was not polling then
            assertThat(strategy.calculateStrategy(selectNow, false)).isEqualTo(2);
            ready = 0;
        }
        idleWait(10_000);
        assertThat(strategy.polling()).isFalse();
    }

    @Test
    void zeroBudget_neverPolls() throws Exception {
        SpinThenBlock never = new SpinThenBlock(0, () -> now, () -> pauses++);
        for (int i = 0; i < 100; i++) {
            assertThat(never.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
        }
        assertThat(polls).isZero();
        assertThat(never.polling()).isFalse();
        assertThatThrownBy(() -> new SpinThenBlock(-1, () -> now, () -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void realLoopsThatPoll_runTasksHandedOverWhetherPollingOrBlocked_andTimersOnTime() throws Exception {
        EventLoopGroup group = NettyTransports.best().newGroup(1, new DefaultThreadFactory("spin-test", true), Duration.ofNanos(SPIN));
        try {
            // 3 ms apart: every wait misses, so the loop stops polling and blocks in between
            for (int i = 0; i < 40; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                group.execute(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("task %d", i).isTrue();
                Thread.sleep(3);
            }
            // back to back: the loop is polling when each arrives
            CountDownLatch all = new CountDownLatch(10_000);
            for (int i = 0; i < 10_000; i++) {
                group.execute(all::countDown);
            }
            assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            ScheduledFuture<Long> fired = group.schedule(System::nanoTime, 30, TimeUnit.MILLISECONDS);
            assertThat(fired.get(5, TimeUnit.SECONDS) - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
