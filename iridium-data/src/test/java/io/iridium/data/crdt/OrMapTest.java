package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.ReplicaId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An OR-Map of OR-Sets, against the tag model with payloads {@code key/element}. */
class OrMapTest extends CrdtLaws<OrMap<String, OrSet<String>>> {

    @Override
    Simulation.Workload<OrMap<String, OrSet<String>>> workload() {
        return new Simulation.Workload<>() {
            final TagModel model = new TagModel(3);

            @Override
            public OrMap<String, OrSet<String>> initial() {
                return OrMap.empty(OrSet.empty());
            }

            @Override
            public Simulation.Op<OrMap<String, OrSet<String>>> operate(
                    int replica, OrMap<String, OrSet<String>> state, Random random) {
                String key = "k" + random.nextInt(3);
                String element = "e" + random.nextInt(3);
                String payload = key + "/" + element;
                int choice = random.nextInt(10);
                if (choice < 6) {
                    return new Simulation.Op<>(state.update(key, set -> set.add(Simulation.id(replica), element)),
                            model.add(replica, payload));
                }
                if (choice < 8) {
                    return new Simulation.Op<>(state.update(key, set -> set.remove(element)),
                            model.remove(replica, payload::equals));
                }
                return new Simulation.Op<>(state.remove(key), model.remove(replica, p -> p.startsWith(key + "/")));
            }

            @Override
            public void deliver(int replica, Object event) {
                model.deliver(replica, event);
            }

            @Override
            public void check(OrMap<String, OrSet<String>> converged) {
                Map<String, Set<String>> expected = new HashMap<>();
                for (String payload : model.finalPayloads()) {
                    String[] parts = payload.split("/");
                    expected.computeIfAbsent(parts[0], k -> new HashSet<>()).add(parts[1]);
                }
                Map<String, Set<String>> actual = new HashMap<>();
                converged.asMap().forEach((key, set) -> actual.put(key, set.elements()));
                assertThat(actual).isEqualTo(expected);
            }
        };
    }

    @Override
    Codec<OrMap<String, OrSet<String>>> codec() {
        return OrMap.codec(Codec.utf8(), OrSet.codec(Codec.utf8()), OrSet.empty());
    }

    @Test
    void remove_concurrentWithUpdate_keepsOnlyTheUnobservedUpdate() {
        ReplicaId a = ReplicaId.of(1);
        ReplicaId b = ReplicaId.of(2);
        OrMap<String, OrSet<String>> start = OrMap.empty(OrSet.empty());
        start = start.merge(start.update("cart", set -> set.add(a, "apple")));
        OrMap<String, OrSet<String>> removedAtA = start.merge(start.remove("cart"));
        OrMap<String, OrSet<String>> updatedAtB = start.merge(start.update("cart", set -> set.add(b, "pear")));
        OrMap<String, OrSet<String>> merged = removedAtA.merge(updatedAtB);
        assertThat(merged.keys()).containsExactly("cart");
        assertThat(merged.get("cart").elements()).containsExactly("pear");
        assertThat(updatedAtB.merge(removedAtA)).isEqualTo(merged);
    }

    @Test
    void nestedMaps_removeOuterKey_resetsInnerState() {
        ReplicaId a = ReplicaId.of(1);
        OrMap<String, OrMap<String, MvRegister<String>>> outer = OrMap.empty(OrMap.empty(MvRegister.empty()));
        outer = outer.merge(outer.update("user", inner -> inner.update("name", r -> r.write(a, "ada"))));
        assertThat(outer.get("user").get("name").values()).containsExactly("ada");
        outer = outer.merge(outer.remove("user"));
        assertThat(outer.isEmpty()).isTrue();
        outer = outer.merge(outer.update("user", inner -> inner.update("mail", r -> r.write(a, "a@b"))));
        assertThat(outer.get("user").keys()).containsExactly("mail");
        var codec = OrMap.codec(Codec.utf8(), OrMap.codec(Codec.utf8(), MvRegister.codec(Codec.utf8()),
                MvRegister.<String>empty()), OrMap.<String, MvRegister<String>>empty(MvRegister.empty()));
        assertThat(codec.decode(codec.encode(outer))).isEqualTo(outer);
    }
}
