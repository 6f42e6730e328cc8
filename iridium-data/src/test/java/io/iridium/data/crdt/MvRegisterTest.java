package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.ReplicaId;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MvRegisterTest extends CrdtLaws<MvRegister<String>> {

    @Override
    Simulation.Workload<MvRegister<String>> workload() {
        return new Simulation.Workload<>() {
            final TagModel model = new TagModel(3);
            int writes;

            @Override
            public MvRegister<String> initial() {
                return MvRegister.empty();
            }

            @Override
            public Simulation.Op<MvRegister<String>> operate(int replica, MvRegister<String> state, Random random) {
                if (random.nextInt(10) == 0) {
                    return new Simulation.Op<>(state.clear(), model.remove(replica, v -> true));
                }
                String value = "v" + (random.nextInt(3) == 0 ? "same" : String.valueOf(writes++));
                return new Simulation.Op<>(state.write(Simulation.id(replica), value), model.replace(replica, value));
            }

            @Override
            public void deliver(int replica, Object event) {
                model.deliver(replica, event);
            }

            @Override
            public void check(MvRegister<String> converged) {
                assertThat(converged.values()).isEqualTo(model.finalPayloads());
            }
        };
    }

    @Override
    Codec<MvRegister<String>> codec() {
        return MvRegister.codec(Codec.utf8());
    }

    @Test
    void write_concurrentAtTwoReplicas_keepsBothUntilAWriteThatSawBoth() {
        ReplicaId a = ReplicaId.of(1);
        ReplicaId b = ReplicaId.of(2);
        MvRegister<String> start = MvRegister.empty();
        MvRegister<String> atA = start.merge(start.write(a, "left"));
        MvRegister<String> atB = start.merge(start.write(b, "right"));
        MvRegister<String> both = atA.merge(atB);
        assertThat(both.values()).containsExactlyInAnyOrder("left", "right");
        MvRegister<String> resolved = both.merge(both.write(a, "merged"));
        assertThat(resolved.values()).containsExactly("merged");
        assertThat(resolved.merge(atB).values()).containsExactly("merged");
    }
}
