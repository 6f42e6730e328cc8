package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import java.util.Random;

class PnCounterTest extends CrdtLaws<PnCounter> {

    @Override
    Simulation.Workload<PnCounter> workload() {
        return new Simulation.Workload<>() {
            long total;

            @Override
            public PnCounter initial() {
                return PnCounter.empty();
            }

            @Override
            public Simulation.Op<PnCounter> operate(int replica, PnCounter state, Random random) {
                long amount = random.nextInt(11) - 5;
                total += amount;
                return new Simulation.Op<>(state.add(Simulation.id(replica), amount), amount);
            }

            @Override
            public void check(PnCounter converged) {
                assertThat(converged.value()).isEqualTo(total);
            }
        };
    }

    @Override
    Codec<PnCounter> codec() {
        return PnCounter.codec();
    }
}
