package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TwoPhaseSetTest extends CrdtLaws<TwoPhaseSet<String>> {

    @Override
    Simulation.Workload<TwoPhaseSet<String>> workload() {
        return new Simulation.Workload<>() {
            final Set<String> added = new HashSet<>();
            final Set<String> removed = new HashSet<>();

            @Override
            public TwoPhaseSet<String> initial() {
                return TwoPhaseSet.empty();
            }

            @Override
            public Simulation.Op<TwoPhaseSet<String>> operate(int replica, TwoPhaseSet<String> state, Random random) {
                List<String> present = new ArrayList<>(state.elements());
                present.sort(null);
                if (!present.isEmpty() && random.nextInt(5) < 2) {
                    String element = present.get(random.nextInt(present.size()));
                    removed.add(element);
                    return new Simulation.Op<>(state.remove(element), element);
                }
                String element = "e" + random.nextInt(12);
                added.add(element);
                return new Simulation.Op<>(state.add(element), element);
            }

            @Override
            public void check(TwoPhaseSet<String> converged) {
                Set<String> expected = new HashSet<>(added);
                expected.removeAll(removed);
                assertThat(converged.elements()).isEqualTo(expected);
            }
        };
    }

    @Override
    Codec<TwoPhaseSet<String>> codec() {
        return TwoPhaseSet.codec(Codec.utf8());
    }

    @Test
    void add_afterRemove_neverBringsTheElementBack() {
        TwoPhaseSet<String> set = TwoPhaseSet.<String>empty();
        set = set.merge(set.add("x"));
        set = set.merge(set.remove("x"));
        set = set.merge(set.add("x"));
        assertThat(set.contains("x")).isFalse();
        assertThat(set.remove("y")).isEqualTo(TwoPhaseSet.empty());
    }
}
