package io.iridium.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** {@link ArrivalCounter}: warm-up and measured messages told apart by their first byte, without a branch. */
class ArrivalCounterTest {

    @Test
    void theMarkerByte_decidesWhichCountAMessageJoins() {
        assertThat(ArrivalCounter.measuredOne(Worker.payload(16, Worker.MEASURED))).isEqualTo(1);
        assertThat(ArrivalCounter.measuredOne(Worker.payload(16, Worker.WARMUP))).isZero();
        for (int b = Byte.MIN_VALUE; b <= Byte.MAX_VALUE; b++) {
            assertThat(ArrivalCounter.measuredOne(new byte[] {(byte) b})).as("first byte %d", b)
                    .isEqualTo(b == Worker.MEASURED ? 1 : 0);
        }
        assertThat(ArrivalCounter.measuredOne(new byte[0])).isZero();
    }

    @Test
    void aMessageShownInPlace_isToldApartByTheByteAtItsPosition() {
        ByteBuffer both = ByteBuffer.wrap(new byte[] {Worker.WARMUP, Worker.MEASURED});
        assertThat(ArrivalCounter.measuredOne(both.asReadOnlyBuffer())).isZero();
        assertThat(ArrivalCounter.measuredOne(both.position(1).asReadOnlyBuffer())).isEqualTo(1);
        assertThat(ArrivalCounter.measuredOne(both.position(2))).as("nothing left").isZero();
    }

    @Test
    void warmUpThenMeasured_areCountedApart_andEndTheirWaits() throws InterruptedException {
        ArrivalCounter counter = new ArrivalCounter(3, 2);
        byte[] warmup = Worker.payload(16, Worker.WARMUP);
        byte[] measured = Worker.payload(16, Worker.MEASURED);
        counter.accept(warmup);
        counter.accept(warmup);
        assertThat(counter.awaitWarm(0, 20)).as("two of three").isFalse();
        counter.accept(warmup);
        assertThat(counter.awaitWarm(0, 0)).as("the warm-up target arrived").isTrue();
        assertThat(counter.awaitWarm(10_000, 50)).as("the target arrived, but not for long enough").isFalse();
        counter.accept(warmup); // more warm-up than the target, as the publisher sends until told to stop
        assertThat(counter.measured()).isZero();

        long before = System.nanoTime();
        counter.accept(measured);
        counter.accept(measured);
        assertThat(counter.measured()).isEqualTo(2);
        assertThat(counter.lastArrivalNanos()).isGreaterThanOrEqualTo(before);
        long waitStarted = System.nanoTime();
        counter.awaitEnd(60_000);
        assertThat(System.nanoTime() - waitStarted).as("all expected arrived: no idle wait")
                .isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
    }
}
