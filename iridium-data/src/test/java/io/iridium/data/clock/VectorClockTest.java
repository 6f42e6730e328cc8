package io.iridium.data.clock;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.ReplicaId;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class VectorClockTest {

    @Provide
    Arbitrary<VectorClock> clocks() {
        return Arbitraries.longs().between(0, 4).list().ofSize(4).map(counters -> {
            Map<ReplicaId, Long> entries = new HashMap<>();
            for (int i = 0; i < counters.size(); i++) {
                entries.put(ReplicaId.of(i + 1), counters.get(i));
            }
            return VectorClock.of(entries);
        });
    }

    @Property
    void compare_swappedArguments_givesTheReversedOrder(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        assertThat(b.compare(a)).isEqualTo(a.compare(b).reversed());
    }

    @Property
    void compare_equalOnlyForEqualClocks(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        assertThat(a.compare(b) == ClockOrder.EQUAL).isEqualTo(a.equals(b));
    }

    @Property
    void compare_beforeIsTransitive(
            @ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        if (a.compare(b) == ClockOrder.BEFORE && b.compare(c) == ClockOrder.BEFORE) {
            assertThat(a.compare(c)).isEqualTo(ClockOrder.BEFORE);
        }
    }

    @Property
    void merge_isAnUpperBoundAndTheLeastOne(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        VectorClock join = a.merge(b);
        assertThat(join.dominates(a)).isTrue();
        assertThat(join.dominates(b)).isTrue();
        assertThat(join).isEqualTo(b.merge(a));
        assertThat(join.merge(a)).isEqualTo(join);
        if (a.dominates(b)) {
            assertThat(join).isEqualTo(a);
        }
        if (a.compare(b) == ClockOrder.CONCURRENT) {
            assertThat(join.compare(a)).isEqualTo(ClockOrder.AFTER);
        }
    }

    @Property
    void merge_isAssociative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void increment_anyClock_isAfterIt(@ForAll("clocks") VectorClock a) {
        assertThat(a.increment(ReplicaId.of(2)).compare(a)).isEqualTo(ClockOrder.AFTER);
    }

    @Property
    void codec_anyClock_roundTrips(@ForAll("clocks") VectorClock a) {
        assertThat(VectorClock.codec().decode(VectorClock.codec().encode(a))).isEqualTo(a);
    }

    @Test
    void compare_divergedReplicas_areConcurrent() {
        VectorClock start = VectorClock.empty().increment(ReplicaId.of(1));
        VectorClock left = start.increment(ReplicaId.of(1));
        VectorClock right = start.increment(ReplicaId.of(2));
        assertThat(left.compare(right)).isEqualTo(ClockOrder.CONCURRENT);
        assertThat(start.compare(left)).isEqualTo(ClockOrder.BEFORE);
        assertThat(left.merge(right).compare(right)).isEqualTo(ClockOrder.AFTER);
    }
}
