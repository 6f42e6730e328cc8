package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LwwRegisterTest extends CrdtLaws<LwwRegister<String>> {

    record Write(HlcTimestamp timestamp, ReplicaId writer, String value) {
    }

    @Override
    Simulation.Workload<LwwRegister<String>> workload() {
        return new Simulation.Workload<>() {
            final Clocks clocks = new Clocks(3);
            Write latest;

            @Override
            public LwwRegister<String> initial() {
                return LwwRegister.empty();
            }

            @Override
            public Simulation.Op<LwwRegister<String>> operate(int replica, LwwRegister<String> state, Random random) {
                Write write = new Write(clocks.next(replica, random), Simulation.id(replica), "v" + random.nextInt(5));
                Comparator<Write> order = Comparator.comparing(Write::timestamp).thenComparing(Write::writer);
                if (latest == null || order.compare(write, latest) > 0) {
                    latest = write;
                }
                return new Simulation.Op<>(state.set(write.writer(), write.timestamp(), write.value()), write);
            }

            @Override
            public void check(LwwRegister<String> converged) {
                if (latest == null) {
                    assertThat(converged.value()).isEmpty();
                } else {
                    assertThat(converged.value()).contains(latest.value());
                    assertThat(converged.timestamp()).isEqualTo(latest.timestamp());
                }
            }
        };
    }

    @Override
    Codec<LwwRegister<String>> codec() {
        return LwwRegister.codec(Codec.utf8());
    }

    @Test
    void merge_equalTimestamps_breaksTheTieByReplicaId() {
        HlcTimestamp at = new HlcTimestamp(5, 0);
        LwwRegister<String> low = LwwRegister.<String>empty().set(ReplicaId.of(1), at, "low");
        LwwRegister<String> high = LwwRegister.<String>empty().set(ReplicaId.of(2), at, "high");
        assertThat(low.merge(high).value()).contains("high");
        assertThat(high.merge(low).value()).contains("high");
    }
}
