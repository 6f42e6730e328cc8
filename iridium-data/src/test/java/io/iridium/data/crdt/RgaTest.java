package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RgaTest extends CrdtLaws<Rga<String>> {

    /** Inserts at random positions and deletes; remembers every order a replica ever showed. */
    static final class Workload implements Simulation.Workload<Rga<String>> {
        final List<String> inserted = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        final List<List<Rga.ElementId>> seenOrders = new ArrayList<>();
        int counter;

        @Override
        public Rga<String> initial() {
            return Rga.empty();
        }

        @Override
        public Simulation.Op<Rga<String>> operate(int replica, Rga<String> state, Random random) {
            seenOrders.add(state.visibleIds());
            if (state.size() > 0 && random.nextInt(10) < 3) {
                int index = random.nextInt(state.size());
                deleted.add(state.values().get(index));
                return new Simulation.Op<>(state.delete(index), null);
            }
            String value = "r" + replica + "-" + counter++;
            inserted.add(value);
            return new Simulation.Op<>(state.insert(Simulation.id(replica), random.nextInt(state.size() + 1), value), null);
        }

        @Override
        public void check(Rga<String> converged) {
            List<String> expected = new ArrayList<>(inserted);
            expected.removeAll(deleted);
            assertThat(converged.values()).containsExactlyInAnyOrderElementsOf(expected);
            Map<Rga.ElementId, Integer> position = new HashMap<>();
            List<Rga.ElementId> order = converged.visibleIds();
            for (int i = 0; i < order.size(); i++) {
                position.put(order.get(i), i);
            }
            for (List<Rga.ElementId> seen : seenOrders) {
                List<Integer> positions = seen.stream().filter(position::containsKey).map(position::get).toList();
                assertThat(positions).as("an order a replica showed earlier").isSorted();
            }
        }
    }

    @Override
    Simulation.Workload<Rga<String>> workload() {
        return new Workload();
    }

    @Override
    Codec<Rga<String>> codec() {
        return Rga.codec(Codec.utf8());
    }

    @Property
    void insert_eachReplicaTypingAfterItsOwnLastInsert_keepsEveryReplicasInsertOrderEverywhere(@ForAll long seed) {
        Map<Integer, List<String>> typed = new HashMap<>();
        Map<Integer, Rga.ElementId> cursor = new HashMap<>();
        Simulation.Workload<Rga<String>> typing = new Simulation.Workload<>() {
            int counter;

            @Override
            public Rga<String> initial() {
                return Rga.empty();
            }

            @Override
            public Simulation.Op<Rga<String>> operate(int replica, Rga<String> state, Random random) {
                String value = "r" + replica + "-" + counter++;
                typed.computeIfAbsent(replica, r -> new ArrayList<>()).add(value);
                Rga.ElementId after = cursor.getOrDefault(replica, Rga.ElementId.HEAD);
                Rga<String> delta = state.insertAfter(Simulation.id(replica), after, value);
                Rga<String> next = state.merge(delta);
                cursor.put(replica, next.visibleIds().get(next.values().indexOf(value)));
                return new Simulation.Op<>(delta, null);
            }
        };
        Simulation<Rga<String>> sim = new Simulation<>(typing, 3, seed).run(40);
        sim.exchangeAll();
        List<String> text = sim.replicas.get(0).values();
        assertThat(sim.replicas).allSatisfy(replica -> assertThat(replica.values()).isEqualTo(text));
        typed.forEach((replica, values) ->
                assertThat(text.stream().filter(values::contains).toList()).isEqualTo(values));
    }

    @Test
    void insert_concurrentAtTheSamePosition_ordersTheSameEverywhere() {
        ReplicaId a = ReplicaId.of(1);
        ReplicaId b = ReplicaId.of(2);
        Rga<String> start = Rga.<String>empty();
        start = start.merge(start.insert(a, 0, "h"));
        start = start.merge(start.insert(a, 1, "!"));
        Rga<String> atA = start.merge(start.insert(a, 1, "i"));
        Rga<String> atB = start.merge(start.insert(b, 1, "o"));
        assertThat(atA.merge(atB).values()).isEqualTo(atB.merge(atA).values());
        assertThat(atA.merge(atB).values()).containsExactly("h", "o", "i", "!");
        Rga<String> deleted = atA.merge(atB);
        deleted = deleted.merge(deleted.delete(0));
        assertThat(deleted.values()).containsExactly("o", "i", "!");
        assertThat(deleted.nodeCount()).isEqualTo(4);
    }

    @Test
    void values_typingRunOfAHundredThousandElements_doNotOverflowTheStack() {
        // a typing run is a chain: each element's parent is the one before; build it as bytes
        int length = 100_000;
        DataWriter out = new DataWriter().writeByte(0x1A).writeByte(1).writeVarLong(length);
        for (int i = 1; i <= length; i++) {
            out.writeVarLong(i).writeReplica(ReplicaId.of(1));
            out.writeVarLong(i - 1).writeReplica(i == 1 ? new ReplicaId(0, 0) : ReplicaId.of(1));
            out.writeBoolean(true).writeString("x");
        }
        Rga<String> text = Rga.codec(Codec.utf8()).decode(out.toByteArray());
        assertThat(text.size()).isEqualTo(length);
        assertThat(text.merge(text.insert(ReplicaId.of(2), length, "!")).values().get(length)).isEqualTo("!");
    }
}
