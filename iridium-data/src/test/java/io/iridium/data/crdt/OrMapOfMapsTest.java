package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * An OR-Map of OR-Maps of OR-Sets (three levels sharing one causal context), against the tag
 * model with payloads {@code outer/inner/element}: removing a key at either level removes
 * exactly the payloads observed under it.
 */
class OrMapOfMapsTest extends CrdtLaws<OrMap<String, OrMap<String, OrSet<String>>>> {

    @Override
    Simulation.Workload<OrMap<String, OrMap<String, OrSet<String>>>> workload() {
        return new Simulation.Workload<>() {
            final TagModel model = new TagModel(3);

            @Override
            public OrMap<String, OrMap<String, OrSet<String>>> initial() {
                return OrMap.empty(OrMap.empty(OrSet.empty()));
            }

            @Override
            public Simulation.Op<OrMap<String, OrMap<String, OrSet<String>>>> operate(
                    int replica, OrMap<String, OrMap<String, OrSet<String>>> state, Random random) {
                String outer = "o" + random.nextInt(2);
                String inner = "i" + random.nextInt(2);
                String element = "e" + random.nextInt(3);
                String payload = outer + "/" + inner + "/" + element;
                int choice = random.nextInt(10);
                if (choice < 6) {
                    return new Simulation.Op<>(state.update(outer, map -> map.update(inner,
                            set -> set.add(Simulation.id(replica), element))), model.add(replica, payload));
                }
                if (choice < 7) {
                    return new Simulation.Op<>(state.update(outer, map -> map.update(inner, set -> set.remove(element))),
                            model.remove(replica, payload::equals));
                }
                if (choice < 9) {
                    return new Simulation.Op<>(state.update(outer, map -> map.remove(inner)),
                            model.remove(replica, p -> p.startsWith(outer + "/" + inner + "/")));
                }
                return new Simulation.Op<>(state.remove(outer), model.remove(replica, p -> p.startsWith(outer + "/")));
            }

            @Override
            public void deliver(int replica, Object event) {
                model.deliver(replica, event);
            }

            @Override
            public void check(OrMap<String, OrMap<String, OrSet<String>>> converged) {
                Set<String> actual = new HashSet<>();
                converged.asMap().forEach((outer, map) -> map.asMap().forEach((inner, set) ->
                        set.elements().forEach(element -> actual.add(outer + "/" + inner + "/" + element))));
                assertThat(actual).isEqualTo(model.finalPayloads());
            }
        };
    }

    /** Three levels of maps cost more per merge; fewer steps keep the suite fast. */
    @Override
    int steps() {
        return 25;
    }

    @Override
    Codec<OrMap<String, OrMap<String, OrSet<String>>>> codec() {
        return OrMap.codec(Codec.utf8(),
                OrMap.codec(Codec.utf8(), OrSet.codec(Codec.utf8()), OrSet.empty()),
                OrMap.empty(OrSet.empty()));
    }
}
