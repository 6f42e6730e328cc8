package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.ReplicaId;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnableWinsFlagTest extends CrdtLaws<EnableWinsFlag> {

    @Override
    Simulation.Workload<EnableWinsFlag> workload() {
        return new Simulation.Workload<>() {
            final TagModel model = new TagModel(3);

            @Override
            public EnableWinsFlag initial() {
                return EnableWinsFlag.disabled();
            }

            @Override
            public Simulation.Op<EnableWinsFlag> operate(int replica, EnableWinsFlag state, Random random) {
                if (random.nextBoolean()) {
                    return new Simulation.Op<>(state.enable(Simulation.id(replica)), model.add(replica, "on"));
                }
                return new Simulation.Op<>(state.disable(), model.remove(replica, v -> true));
            }

            @Override
            public void deliver(int replica, Object event) {
                model.deliver(replica, event);
            }

            @Override
            public void check(EnableWinsFlag converged) {
                assertThat(converged.isEnabled()).isEqualTo(!model.finalPayloads().isEmpty());
            }
        };
    }

    @Override
    Codec<EnableWinsFlag> codec() {
        return EnableWinsFlag.codec();
    }

    @Test
    void enable_concurrentWithDisable_wins() {
        EnableWinsFlag start = EnableWinsFlag.disabled();
        start = start.merge(start.enable(ReplicaId.of(1)));
        EnableWinsFlag disabled = start.merge(start.disable());
        EnableWinsFlag enabled = start.merge(start.enable(ReplicaId.of(2)));
        assertThat(disabled.isEnabled()).isFalse();
        assertThat(disabled.merge(enabled).isEnabled()).isTrue();
    }
}
