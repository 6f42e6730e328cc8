package io.iridium.data.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.ReplicaId;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DottedVersionVectorTest {

    private static final ReplicaId SERVER = ReplicaId.of(1);

    @Provide
    Arbitrary<DottedVersionVector> dvvs() {
        Arbitrary<Integer> replica = Arbitraries.integers().between(1, 3);
        Arbitrary<Long> counter = Arbitraries.longs().between(0, 4);
        return Combinators.combine(replica, counter.list().ofSize(3), Arbitraries.longs().between(1, 3))
                .as((r, past, gap) -> {
                    Map<ReplicaId, Long> entries = new HashMap<>();
                    for (int i = 0; i < 3; i++) {
                        entries.put(ReplicaId.of(i + 1), past.get(i));
                    }
                    VectorClock clock = VectorClock.of(entries);
                    Dot dot = new Dot(ReplicaId.of(r), clock.get(ReplicaId.of(r)) + gap);
                    return new DottedVersionVector(dot, clock);
                });
    }

    @Property
    void compare_swappedArguments_givesTheReversedOrder(@ForAll("dvvs") DottedVersionVector a,
                                                        @ForAll("dvvs") DottedVersionVector b) {
        assertThat(b.compare(a)).isEqualTo(a.compare(b).reversed());
        assertThat(a.compare(a)).isEqualTo(ClockOrder.EQUAL);
        if (a.compare(b) == ClockOrder.BEFORE) {
            assertThat(b.context().contains(a.dot())).isTrue();
        }
    }

    @Test
    void compare_twoClientsWritingThroughOneServerWithTheSameContext_areConcurrent() {
        VectorClock read = VectorClock.empty();
        DottedVersionVector first = DottedVersionVector.next(SERVER, read, 0);
        DottedVersionVector second = DottedVersionVector.next(SERVER, read, first.dot().counter());
        assertThat(first.compare(second)).isEqualTo(ClockOrder.CONCURRENT);
        assertThat(second.dot()).isEqualTo(new Dot(SERVER, 2));
    }

    @Test
    void compare_writeThatReadThePrevious_isAfterIt() {
        DottedVersionVector first = DottedVersionVector.next(SERVER, VectorClock.empty(), 0);
        VectorClock seen = VectorClock.of(java.util.Map.of(SERVER, 1L));
        DottedVersionVector second = DottedVersionVector.next(SERVER, seen, 1);
        assertThat(second.compare(first)).isEqualTo(ClockOrder.AFTER);
        assertThat(first.compare(second)).isEqualTo(ClockOrder.BEFORE);
        assertThat(first.compare(first)).isEqualTo(ClockOrder.EQUAL);
        assertThat(second.context().contains(new Dot(SERVER, 1))).isTrue();
    }

    @Test
    void constructor_dotInItsOwnPast_isRejected() {
        assertThatThrownBy(() -> new DottedVersionVector(new Dot(SERVER, 1), VectorClock.of(java.util.Map.of(SERVER, 1L))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codec_dottedVersionVector_roundTrips() {
        DottedVersionVector dvv = DottedVersionVector.next(SERVER, VectorClock.of(java.util.Map.of(ReplicaId.of(2), 4L)), 3);
        assertThat(DottedVersionVector.codec().decode(DottedVersionVector.codec().encode(dvv))).isEqualTo(dvv);
    }
}
