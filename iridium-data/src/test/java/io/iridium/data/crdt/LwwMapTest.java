package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LwwMapTest extends CrdtLaws<LwwMap<String, String>> {

    record Write(HlcTimestamp timestamp, ReplicaId writer, String key, String value) {
    }

    @Override
    Simulation.Workload<LwwMap<String, String>> workload() {
        return new Simulation.Workload<>() {
            final Clocks clocks = new Clocks(3);
            final Map<String, Write> latest = new HashMap<>();
            final Comparator<Write> order = Comparator.comparing(Write::timestamp).thenComparing(Write::writer);

            @Override
            public LwwMap<String, String> initial() {
                return LwwMap.empty();
            }

            @Override
            public Simulation.Op<LwwMap<String, String>> operate(
                    int replica, LwwMap<String, String> state, Random random) {
                String key = "k" + random.nextInt(4);
                String value = random.nextInt(4) == 0 ? null : "v" + random.nextInt(5);
                Write write = new Write(clocks.next(replica, random), Simulation.id(replica), key, value);
                latest.merge(key, write, (a, b) -> order.compare(a, b) >= 0 ? a : b);
                LwwMap<String, String> delta = value == null
                        ? state.remove(write.writer(), write.timestamp(), key)
                        : state.put(write.writer(), write.timestamp(), key, value);
                return new Simulation.Op<>(delta, write);
            }

            @Override
            public void check(LwwMap<String, String> converged) {
                Map<String, String> expected = new HashMap<>();
                latest.forEach((key, write) -> {
                    if (write.value() != null) {
                        expected.put(key, write.value());
                    }
                });
                assertThat(converged.asMap()).isEqualTo(expected);
            }
        };
    }

    @Override
    Codec<LwwMap<String, String>> codec() {
        return LwwMap.codec(Codec.utf8(), Codec.utf8());
    }

    @Test
    void put_olderThanARemoval_doesNotBringTheKeyBack() {
        ReplicaId a = ReplicaId.of(1);
        LwwMap<String, String> map = LwwMap.empty();
        LwwMap<String, String> oldPut = map.put(a, new HlcTimestamp(1, 0), "k", "v");
        map = map.merge(oldPut).merge(map.remove(a, new HlcTimestamp(2, 0), "k"));
        assertThat(map.merge(oldPut).get("k")).isEmpty();
    }
}
