package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The credit arithmetic of {@link TunnelFlow}, without threads or network. */
class TunnelFlowTest {

    @Test
    void nextChunk_isBoundedByChunkSizeRemainderAndCredit() {
        TunnelFlow flow = new TunnelFlow(1 << 20);
        flow.peerWindow(100_000);
        assertThat(flow.nextChunk(1_000_000)).isEqualTo(TunnelFlow.MAX_CHUNK);
        assertThat(flow.nextChunk(10)).isEqualTo(10);
        flow.spend(TunnelFlow.MAX_CHUNK);
        assertThat(flow.nextChunk(1_000_000)).isEqualTo(100_000 - TunnelFlow.MAX_CHUNK);
        flow.spend(100_000 - TunnelFlow.MAX_CHUNK);
        assertThat(flow.nextChunk(1)).as("no credit").isEqualTo(-1);
        flow.credit(5);
        assertThat(flow.nextChunk(1_000)).isEqualTo(5);
    }

    @Test
    void canStart_smallMessageNeedsAllOfIt_largeOneHalfThePeerWindow() {
        TunnelFlow flow = new TunnelFlow(1 << 20);
        flow.peerWindow(1_000);
        assertThat(flow.startNeed(300)).isEqualTo(300);
        assertThat(flow.startNeed(10_000)).isEqualTo(500);
        assertThat(flow.startNeed(0)).as("an empty message costs one byte").isEqualTo(1);
        flow.spend(600);
        assertThat(flow.canStart(400)).isTrue();
        assertThat(flow.canStart(401)).isFalse();
        assertThat(flow.canStart(10_000)).isFalse();
    }

    @Test
    void takeGrant_waitsForHalfTheWindowConsumed_thenGrantsItAll() {
        TunnelFlow flow = new TunnelFlow(1_000);
        assertThat(flow.received(400)).isTrue();
        flow.consumed(400);
        assertThat(flow.takeGrant()).isZero();
        assertThat(flow.received(300)).isTrue();
        flow.consumed(300);
        assertThat(flow.takeGrant()).isEqualTo(700);
        assertThat(flow.receivable()).isEqualTo(1_000);
        assertThat(flow.consumedUngranted()).isZero();
    }

    @Test
    void received_beyondTheGrantedCredit_isAViolation() {
        TunnelFlow flow = new TunnelFlow(1_000);
        assertThat(flow.received(1_000)).isTrue();
        assertThat(flow.received(0)).as("even an empty chunk costs a byte").isFalse();
    }

    @Test
    void senderAndReceiver_neverDeadlock_whenTheReaderKeepsReading() {
        // a sender of messages of every size against a reader that consumes whatever arrives:
        // the sender can always start its next message once everything in flight is consumed
        TunnelFlow sender = new TunnelFlow(1 << 20);
        TunnelFlow receiver = new TunnelFlow(1 << 20);
        sender.peerWindow(receiver.window());
        java.util.Random random = new java.util.Random(7);
        for (int message = 0; message < 2_000; message++) {
            int length = random.nextInt(3) == 0 ? random.nextInt(3 << 20) : random.nextInt(100_000);
            assertThat(sender.canStart(length)).as("message %d of %d bytes can start", message, length).isTrue();
            int remaining = length;
            do {
                int chunk = sender.nextChunk(remaining);
                assertThat(chunk).isNotNegative();
                sender.spend(chunk);
                assertThat(receiver.received(chunk)).isTrue();
                receiver.consumed(TunnelFlow.charge(chunk));
                long grant = receiver.takeGrant();
                if (grant > 0) {
                    sender.credit(grant);
                }
                remaining -= chunk;
            } while (remaining > 0);
        }
    }

    // ---- window growth -------------------------------------------------------------------------

    @Test
    void window_doubles_whenTheSenderRanDryAndTheReaderCaughtUp_andTheExtraIsGrantedAtOnce() {
        TunnelFlow flow = new TunnelFlow(1_000);
        assertThat(flow.received(1_000)).isTrue();   // the sender spent all its credit
        flow.consumed(1_000);
        assertThat(flow.takeGrant()).isEqualTo(1_000);
        flow.readerCaughtUp();                       // ... and the reader took everything

        assertThat(flow.window()).isEqualTo(2_000);
        assertThat(flow.takeGrant()).as("the extra 1,000").isEqualTo(1_000);
        assertThat(flow.receivable()).isEqualTo(2_000);
    }

    @Test
    void window_staysPut_forASlowReader() {
        TunnelFlow flow = new TunnelFlow(1_000);
        assertThat(flow.received(1_000)).isTrue();   // ran dry, but the reader lags behind
        flow.consumed(600);
        assertThat(flow.takeGrant()).isEqualTo(600);
        assertThat(flow.received(600)).isTrue();
        flow.consumed(400);                          // 600 still buffered: the reader never caught up
        assertThat(flow.window()).isEqualTo(1_000);
        assertThat(flow.received(1)).as("no credit beyond the window").isFalse();
    }

    @Test
    void window_staysPut_forASenderThatNeverRunsDry() {
        TunnelFlow flow = new TunnelFlow(1_000);
        for (int i = 0; i < 100; i++) {
            assertThat(flow.received(600)).isTrue();
            flow.consumed(600);
            assertThat(flow.takeGrant()).isEqualTo(600);
            flow.readerCaughtUp();
        }
        assertThat(flow.window()).isEqualTo(1_000);
    }

    @Test
    void window_growsAtMostMaxGrowthTimes() {
        TunnelFlow flow = new TunnelFlow(1_000);
        for (int i = 0; i < 20; i++) {
            long spend = flow.receivable();
            assertThat(flow.received((int) spend)).isTrue();
            flow.consumed(spend);
            flow.takeGrant();
            flow.readerCaughtUp();
            flow.takeGrant();
        }
        assertThat(flow.window()).isEqualTo(1_000L * TunnelFlow.MAX_GROWTH);
    }

    /**
     * Whatever the far side sends (within its credit) and whatever the reader takes, the receive
     * side's books balance ({@code receivable + buffered + consumed == window}) and the window
     * never passes its limit, so a reader that stops holds at most that.
     */
    @Property(tries = 300)
    void receiveSide_booksBalance_andTheWindowStaysBounded(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 5_000) Integer> steps) {
        TunnelFlow flow = new TunnelFlow(1_000);
        long buffered = 0;
        for (int step : steps) {
            switch (step % 3) {
                case 0 -> {                                   // the far side sends what it may
                    int chunk = (int) Math.min(step, flow.receivable());
                    if (chunk > 0 && flow.received(chunk)) {
                        buffered += chunk;
                    }
                }
                case 1 -> {                                   // the reader takes some
                    long take = Math.min(step, buffered);
                    buffered -= take;
                    flow.consumed(take);
                    if (buffered == 0) {
                        flow.readerCaughtUp();
                    }
                }
                default -> flow.takeGrant();
            }
            assertThat(flow.receivable() + buffered + flow.consumedUngranted()).isEqualTo(flow.window());
            assertThat(flow.window()).isBetween(1_000L, 1_000L * TunnelFlow.MAX_GROWTH);
        }
    }
}
