package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.ReplicaId;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OrSetTest extends CrdtLaws<OrSet<String>> {

    /** Adds, removes and clears over a small alphabet; {@code forbidden} is never added. */
    static final class Workload implements Simulation.Workload<OrSet<String>> {
        final TagModel model = new TagModel(3);
        String forbidden = "";

        @Override
        public OrSet<String> initial() {
            return OrSet.empty();
        }

        @Override
        public Simulation.Op<OrSet<String>> operate(int replica, OrSet<String> state, Random random) {
            int choice = random.nextInt(10);
            String element = "e" + random.nextInt(6);
            if (choice < 6 && !element.equals(forbidden)) {
                return new Simulation.Op<>(state.add(Simulation.id(replica), element), model.add(replica, element));
            }
            if (choice < 9) {
                return new Simulation.Op<>(state.remove(element), model.remove(replica, element::equals));
            }
            return new Simulation.Op<>(state.clear(), model.remove(replica, e -> true));
        }

        @Override
        public void deliver(int replica, Object event) {
            model.deliver(replica, event);
        }

        @Override
        public void check(OrSet<String> converged) {
            assertThat(converged.elements()).isEqualTo(model.finalPayloads());
        }
    }

    @Override
    Simulation.Workload<OrSet<String>> workload() {
        return new Workload();
    }

    @Override
    Codec<OrSet<String>> codec() {
        return OrSet.codec(Codec.utf8());
    }

    @Property
    void remove_observedElement_isNeverResurrectedByOldOrDuplicatedMessages(@ForAll long seed) {
        Workload workload = new Workload();
        Simulation<OrSet<String>> sim = new Simulation<>(workload, 3, seed).run(30);
        sim.exchangeAll(); // messages still in flight stay in flight: stale adds among them
        int remover = sim.random.nextInt(3);
        String victim = "e" + sim.random.nextInt(6);
        OrSet<String> state = sim.replicas.get(remover);
        if (!state.contains(victim)) {
            state = state.merge(state.add(Simulation.id(remover), victim));
            sim.replicas.set(remover, state);
        }
        workload.forbidden = victim;
        OrSet<String> removal = state.remove(victim);
        sim.replicas.set(remover, state.merge(removal));
        for (int to = 0; to < 3; to++) {
            sim.network.add(new Simulation.Message<>(to, removal, new TagModel.Event(java.util.Map.of(), java.util.Set.of())));
        }
        for (int step = 0; step < 30; step++) {
            sim.run(1);
            assertThat(sim.replicas.get(remover).contains(victim)).as("step %d", step).isFalse();
        }
        OrSet<String> replayed = sim.replicas.get(remover);
        for (OrSet<String> old : sim.pool) {
            replayed = replayed.merge(old);
        }
        assertThat(replayed.contains(victim)).isFalse();
        sim.exchangeAll();
        assertThat(sim.replicas).allSatisfy(replica -> assertThat(replica.contains(victim)).isFalse());
    }

    @Test
    void add_concurrentWithRemove_wins() {
        ReplicaId a = ReplicaId.of(1);
        ReplicaId b = ReplicaId.of(2);
        OrSet<String> start = OrSet.<String>empty();
        start = start.merge(start.add(a, "x"));
        OrSet<String> removedAtA = start.merge(start.remove("x"));
        OrSet<String> addedAtB = start.merge(start.add(b, "x"));
        assertThat(removedAtA.merge(addedAtB).contains("x")).isTrue();
        assertThat(addedAtB.merge(removedAtA).contains("x")).isTrue();
    }

    @Test
    void context_afterManyAddsAndRemoves_compactsToOneCounterPerReplica() {
        ReplicaId a = ReplicaId.of(1);
        OrSet<String> set = OrSet.empty();
        for (int i = 0; i < 100; i++) {
            set = set.merge(set.add(a, "x" + i));
            set = set.merge(set.remove("x" + i));
        }
        assertThat(set.isEmpty()).isTrue();
        assertThat(set.context().cloud()).isEmpty();
        assertThat(set.context().versionVector().get(a)).isEqualTo(100);
    }
}
