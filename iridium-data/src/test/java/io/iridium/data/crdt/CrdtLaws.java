package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.Codec;
import io.iridium.data.CorruptDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The laws every CRDT type must obey, run against each type by a subclass that supplies a
 * random workload and a reference model. Every value tested comes from one seeded
 * {@link Simulation} (states and deltas of three replicas over a lossy, duplicating,
 * reordering network), so all values are mutually consistent, as real replicas' are. The seed
 * is the property's parameter: a failure prints it and rerunning with it replays the run.
 */
abstract class CrdtLaws<T extends Crdt<T>> {

    /** A fresh workload (with a fresh reference model) for one run. */
    abstract Simulation.Workload<T> workload();

    /** The type's codec. */
    abstract Codec<T> codec();

    /** Steps per simulated run. */
    int steps() {
        return 40;
    }

    final Simulation<T> simulate(long seed) {
        return new Simulation<>(workload(), 3, seed).run(steps());
    }

    @Property
    void merge_anyTwoReachableStates_isCommutative(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        for (int i = 0; i < 4; i++) {
            T a = sim.any();
            T b = sim.any();
            assertThat(a.merge(b)).isEqualTo(b.merge(a));
        }
    }

    @Property
    void merge_anyThreeReachableStates_isAssociative(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        for (int i = 0; i < 4; i++) {
            T a = sim.any();
            T b = sim.any();
            T c = sim.any();
            assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        }
    }

    @Property
    void merge_withItselfOrAgain_isIdempotent(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        for (int i = 0; i < 4; i++) {
            T a = sim.any();
            T b = sim.any();
            assertThat(a.merge(a)).isEqualTo(a);
            assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
        }
    }

    @Property
    void deltas_mergedOneByOneOrAsAGroup_equalFullStateMerge(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        Random random = new Random(~seed);
        int writer = random.nextInt(3);
        int reader = (writer + 1 + random.nextInt(2)) % 3;
        // the reader has seen the writer's state; the writer then makes a few more updates
        T base = sim.replicas.get(reader).merge(sim.replicas.get(writer));
        T state = sim.replicas.get(writer);
        List<T> deltas = new ArrayList<>();
        int updates = 1 + random.nextInt(5);
        for (int i = 0; i < updates; i++) {
            T delta = sim.workload.operate(writer, state, random).delta();
            deltas.add(delta);
            state = state.merge(delta);
        }
        T oneByOne = base;
        for (T delta : deltas) {
            oneByOne = oneByOne.merge(delta);
        }
        T group = deltas.get(0);
        for (T delta : deltas.subList(1, deltas.size())) {
            group = group.merge(delta);
        }
        T full = base.merge(state);
        assertThat(oneByOne).isEqualTo(full);
        assertThat(base.merge(group)).isEqualTo(full);
    }

    @Property
    void replicas_anyDeliveryOrderWithLossAndDuplication_convergeToTheReferenceModel(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        sim.exchangeAll();
        T converged = sim.replicas.get(0);
        assertThat(sim.replicas).allSatisfy(replica -> assertThat(replica).isEqualTo(converged));
        sim.workload.check(converged);
    }

    @Property
    void codec_reachableStatesAndDeltas_roundTripCanonically(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        Codec<T> codec = codec();
        for (int i = 0; i < 4; i++) {
            T value = sim.any();
            byte[] bytes = codec.encode(value);
            T decoded = codec.decode(bytes);
            assertThat(decoded).isEqualTo(value);
            assertThat(codec.encode(decoded)).isEqualTo(bytes);
        }
    }

    @Property
    void codec_truncatedCorruptedOrRandomInput_failsOnlyWithCorruptDataException(@ForAll long seed) {
        Simulation<T> sim = simulate(seed);
        Random random = new Random(seed);
        Codec<T> codec = codec();
        byte[] bytes = codec.encode(sim.any());
        int cut = random.nextInt(bytes.length);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, cut))).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(CorruptDataException.class);
        byte[] flipped = bytes.clone();
        for (int i = 0, flips = 1 + random.nextInt(3); i < flips; i++) {
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        }
        decodesOrFailsCleanly(codec, flipped);
        byte[] garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
        if (garbage.length > 0 && random.nextBoolean()) {
            garbage[0] = bytes[0]; // the right tag, so decoding gets past the header more often
            if (garbage.length > 1) {
                garbage[1] = 1;
            }
        }
        decodesOrFailsCleanly(codec, garbage);
    }

    private static <T> void decodesOrFailsCleanly(Codec<T> codec, byte[] bytes) {
        try {
            T value = codec.decode(bytes);
            assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
        } catch (CorruptDataException expected) {
            // the only acceptable failure
        }
    }
}
