package io.iridium.data.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    /** A physical clock the test moves by hand. */
    static final class ManualClock {
        long millis;

        ManualClock(long millis) {
            this.millis = millis;
        }
    }

    @Property
    void now_andAcceptedUpdates_underBackwardsJumpsStayStrictlyMonotonicAndBoundedAhead(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = -500, max = 500) Integer> jumps,
            @ForAll long seed) {
        Random random = new Random(seed);
        ManualClock physical = new ManualClock(10_000);
        long maxSkew = 100;
        HybridLogicalClock clock = new HybridLogicalClock(() -> physical.millis, maxSkew);
        HlcTimestamp previous = HlcTimestamp.ZERO;
        long highestPhysical = physical.millis;
        for (int jump : jumps) {
            physical.millis = Math.max(0, physical.millis + jump); // forwards or backwards
            highestPhysical = Math.max(highestPhysical, physical.millis);
            HlcTimestamp next;
            if (random.nextBoolean()) {
                next = clock.now();
            } else {
                HlcTimestamp remote = new HlcTimestamp(
                        Math.max(0, physical.millis + random.nextInt(300) - 150), random.nextInt(5));
                HlcUpdate update = clock.update(remote);
                if (update instanceof HlcUpdate.Accepted accepted) {
                    assertThat(accepted.timestamp()).isGreaterThan(remote);
                    next = accepted.timestamp();
                } else {
                    assertThat(remote.wallTime() - physical.millis).isGreaterThan(maxSkew);
                    assertThat(clock.current()).isEqualTo(previous);
                    continue;
                }
            }
            assertThat(next).isGreaterThan(previous);
            assertThat(next.wallTime()).isLessThanOrEqualTo(highestPhysical + maxSkew);
            assertThat(clock.current()).isEqualTo(next);
            previous = next;
        }
    }

    @Test
    void now_wallClockAdvances_followsPhysicalTimeWithLogicalZero() {
        ManualClock physical = new ManualClock(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(() -> physical.millis, 50);
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_000, 0));
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_000, 1));
        physical.millis = 1_005;
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_005, 0));
    }

    @Test
    void now_wallClockJumpsBackwards_holdsWallTimeAndCountsLogically() {
        ManualClock physical = new ManualClock(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(() -> physical.millis, 50);
        clock.now();
        physical.millis = 400;
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_000, 1));
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_000, 2));
        physical.millis = 1_001;
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_001, 0));
    }

    @Test
    void update_remoteAheadWithinMaxSkew_movesPastIt() {
        ManualClock physical = new ManualClock(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(() -> physical.millis, 50);
        HlcUpdate update = clock.update(new HlcTimestamp(1_050, 7));
        assertThat(update).isEqualTo(new HlcUpdate.Accepted(new HlcTimestamp(1_050, 8)));
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(1_050, 9));
    }

    @Test
    void update_remoteFurtherAheadThanMaxSkew_isRejectedAndLeavesTheClockUnchanged() {
        ManualClock physical = new ManualClock(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(() -> physical.millis, 50);
        HlcTimestamp before = clock.now();
        HlcUpdate update = clock.update(new HlcTimestamp(1_051, 0));
        assertThat(update).isEqualTo(new HlcUpdate.Rejected(new HlcTimestamp(1_051, 0), 1_000, 51, 50));
        assertThat(clock.current()).isEqualTo(before);
    }

    @Test
    void now_logicalCounterAtItsMaximum_advancesWallTimeInstead() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 5, 0, new HlcTimestamp(5, Integer.MAX_VALUE));
        assertThat(clock.now()).isEqualTo(new HlcTimestamp(6, 0));
    }

    @Test
    void constructor_negativeMaxSkew_isRejected() {
        assertThatThrownBy(() -> new HybridLogicalClock(() -> 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codec_timestamp_roundTrips() {
        HlcTimestamp timestamp = new HlcTimestamp(1_700_000_000_000L, 42);
        assertThat(HlcTimestamp.codec().decode(HlcTimestamp.codec().encode(timestamp))).isEqualTo(timestamp);
    }
}
