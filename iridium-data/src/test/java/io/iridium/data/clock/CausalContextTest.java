package io.iridium.data.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.CorruptDataException;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CausalContextTest {

    @Provide
    Arbitrary<Set<Dot>> dotSets() {
        Arbitrary<Dot> dots = Arbitraries.integers().between(1, 3)
                .flatMap(r -> Arbitraries.longs().between(1, 8).map(c -> new Dot(ReplicaId.of(r), c)));
        return dots.set().ofMaxSize(20);
    }

    @Property
    void of_anyDots_containsExactlyThoseDots(@ForAll("dotSets") Set<Dot> dots) {
        CausalContext context = CausalContext.of(dots);
        for (int r = 1; r <= 3; r++) {
            for (long c = 1; c <= 9; c++) {
                Dot dot = new Dot(ReplicaId.of(r), c);
                assertThat(context.contains(dot)).as("%s", dot).isEqualTo(dots.contains(dot));
            }
        }
    }

    @Property
    void of_dotsAddedInAnyOrder_normalizesToEqualContexts(@ForAll("dotSets") Set<Dot> dots, @ForAll long seed) {
        List<Dot> shuffled = new ArrayList<>(dots);
        Collections.shuffle(shuffled, new Random(seed));
        CausalContext oneByOne = CausalContext.empty();
        for (Dot dot : shuffled) {
            oneByOne = oneByOne.add(dot);
        }
        assertThat(oneByOne).isEqualTo(CausalContext.of(dots));
        for (Dot dot : oneByOne.cloud()) {
            assertThat(dot.counter()).as("compaction leaves no contiguous dot in the cloud")
                    .isGreaterThan(oneByOne.versionVector().get(dot.replica()) + 1);
        }
    }

    @Property
    void merge_anyTwo_isTheUnionAndALatticeJoin(@ForAll("dotSets") Set<Dot> a, @ForAll("dotSets") Set<Dot> b,
                                                 @ForAll("dotSets") Set<Dot> c) {
        Set<Dot> union = new TreeSet<>(a);
        union.addAll(b);
        CausalContext x = CausalContext.of(a);
        CausalContext y = CausalContext.of(b);
        CausalContext z = CausalContext.of(c);
        assertThat(x.merge(y)).isEqualTo(CausalContext.of(union));
        assertThat(x.merge(y)).isEqualTo(y.merge(x));
        assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
        assertThat(x.merge(x)).isEqualTo(x);
    }

    @Property
    void codec_anyContext_roundTrips(@ForAll("dotSets") Set<Dot> dots) {
        CausalContext context = CausalContext.of(dots);
        assertThat(CausalContext.codec().decode(CausalContext.codec().encode(context))).isEqualTo(context);
    }

    @Test
    void add_contiguousDots_foldIntoTheVersionVector() {
        ReplicaId a = ReplicaId.of(1);
        CausalContext context = CausalContext.of(List.of(new Dot(a, 3), new Dot(a, 5)));
        assertThat(context.cloud()).hasSize(2);
        context = context.add(new Dot(a, 1)).add(new Dot(a, 2));
        assertThat(context.versionVector().get(a)).isEqualTo(3);
        assertThat(context.cloud()).containsExactly(new Dot(a, 5));
        context = context.add(new Dot(a, 4));
        assertThat(context.cloud()).isEmpty();
        assertThat(context.versionVector().get(a)).isEqualTo(5);
        assertThat(context.next(a)).isEqualTo(new Dot(a, 6));
    }

    @Test
    void decode_cloudDotThatShouldHaveBeenCompacted_isRejected() {
        DataWriter out = new DataWriter().writeByte(0x04).writeByte(1);
        out.writeVarLong(1).writeReplica(ReplicaId.of(1)).writeVarLong(2); // prefix 1..2
        out.writeVarLong(1).writeReplica(ReplicaId.of(1)).writeVarLong(3); // cloud {3}: not normalized
        assertThatThrownBy(() -> CausalContext.codec().decode(out.toByteArray()))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("beyond its prefix");
    }
}
