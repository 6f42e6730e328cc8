package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An OR-Map of multi-value registers, against the tag model with payloads {@code key/value}: a
 * write replaces the values of its key visible at its replica, removing a key removes them all.
 */
class OrMapOfRegistersTest extends CrdtLaws<OrMap<String, MvRegister<String>>> {

    @Override
    Simulation.Workload<OrMap<String, MvRegister<String>>> workload() {
        return new Simulation.Workload<>() {
            final TagModel model = new TagModel(3);
            int writes;

            @Override
            public OrMap<String, MvRegister<String>> initial() {
                return OrMap.empty(MvRegister.empty());
            }

            @Override
            public Simulation.Op<OrMap<String, MvRegister<String>>> operate(
                    int replica, OrMap<String, MvRegister<String>> state, Random random) {
                String key = "k" + random.nextInt(3);
                if (random.nextInt(4) == 0) {
                    return new Simulation.Op<>(state.remove(key), model.remove(replica, p -> p.startsWith(key + "/")));
                }
                String value = "v" + writes++;
                return new Simulation.Op<>(state.update(key, register -> register.write(Simulation.id(replica), value)),
                        model.replace(replica, p -> p.startsWith(key + "/"), key + "/" + value));
            }

            @Override
            public void deliver(int replica, Object event) {
                model.deliver(replica, event);
            }

            @Override
            public void check(OrMap<String, MvRegister<String>> converged) {
                Map<String, Set<String>> expected = new HashMap<>();
                for (String payload : model.finalPayloads()) {
                    String[] parts = payload.split("/");
                    expected.computeIfAbsent(parts[0], k -> new HashSet<>()).add(parts[1]);
                }
                Map<String, Set<String>> actual = new HashMap<>();
                converged.asMap().forEach((key, register) -> actual.put(key, register.values()));
                assertThat(actual).isEqualTo(expected);
            }
        };
    }

    @Override
    Codec<OrMap<String, MvRegister<String>>> codec() {
        return OrMap.codec(Codec.utf8(), MvRegister.codec(Codec.utf8()), MvRegister.empty());
    }
}
