package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

class GSetTest extends CrdtLaws<GSet<String>> {

    @Override
    Simulation.Workload<GSet<String>> workload() {
        return new Simulation.Workload<>() {
            final Set<String> added = new HashSet<>();

            @Override
            public GSet<String> initial() {
                return GSet.empty();
            }

            @Override
            public Simulation.Op<GSet<String>> operate(int replica, GSet<String> state, Random random) {
                String element = "e" + random.nextInt(12);
                added.add(element);
                return new Simulation.Op<>(state.add(element), element);
            }

            @Override
            public void check(GSet<String> converged) {
                assertThat(converged.elements()).isEqualTo(added);
            }
        };
    }

    @Override
    Codec<GSet<String>> codec() {
        return GSet.codec(Codec.utf8());
    }
}
