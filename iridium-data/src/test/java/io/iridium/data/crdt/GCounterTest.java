package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import java.util.Random;

class GCounterTest extends CrdtLaws<GCounter> {

    @Override
    Simulation.Workload<GCounter> workload() {
        return new Simulation.Workload<>() {
            long total;

            @Override
            public GCounter initial() {
                return GCounter.empty();
            }

            @Override
            public Simulation.Op<GCounter> operate(int replica, GCounter state, Random random) {
                long amount = random.nextInt(6);
                total += amount;
                return new Simulation.Op<>(state.increment(Simulation.id(replica), amount), amount);
            }

            @Override
            public void check(GCounter converged) {
                assertThat(converged.value()).isEqualTo(total);
            }
        };
    }

    @Override
    Codec<GCounter> codec() {
        return GCounter.codec();
    }
}
