package io.iridium.data.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.ReplicaId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Retiring a departed replica's counter entry into an heir, then forgetting the tombstone:
 * totals are preserved at every step, no state ever counts an increment twice (even when stale
 * messages from before the retirement arrive late), and merges stay lattice joins.
 */
class CounterRetirementTest {

    private static final int REPLICAS = 4;
    private static final int DEPARTED = 3;
    private static final int HEIR = 0;

    record Message(int to, GCounter delta) {
    }

    /** Four replicas of a G-Counter over a lossy, duplicating network; replica 3 departs. */
    static final class Run {
        final Random random;
        final GCounter[] replicas = new GCounter[REPLICAS];
        final List<Message> network = new ArrayList<>();
        final List<GCounter> pool = new ArrayList<>();
        long total;

        Run(long seed) {
            random = new Random(seed);
            java.util.Arrays.fill(replicas, GCounter.empty());
        }

        void broadcast(int from, GCounter delta) {
            pool.add(delta);
            for (int to = 0; to < REPLICAS; to++) {
                if (to != from) {
                    network.add(new Message(to, delta));
                }
            }
        }

        void step(int liveReplicas) {
            if (network.isEmpty() || random.nextBoolean()) {
                int at = random.nextInt(liveReplicas);
                long amount = random.nextInt(5);
                total += amount;
                GCounter delta = replicas[at].increment(Simulation.id(at), amount);
                replicas[at] = replicas[at].merge(delta);
                broadcast(at, delta);
            } else {
                int index = random.nextInt(network.size());
                Message message = network.get(index);
                int fate = random.nextInt(5);
                if (fate != 1) {
                    network.remove(index);
                }
                if (fate != 0) {
                    replicas[message.to()] = replicas[message.to()].merge(message.delta());
                }
            }
            for (GCounter replica : replicas) {
                pool.add(replica);
            }
        }

        void exchange(int liveReplicas) {
            for (int round = 0; round < 2; round++) {
                for (int from = 0; from < liveReplicas; from++) {
                    for (int to = 0; to < liveReplicas; to++) {
                        replicas[to] = replicas[to].merge(replicas[from]);
                    }
                }
            }
        }
    }

    @Property
    void retire_afterAllReplicasAcknowledgedTheDeparture_preservesTotalsAndNeverDoubleCounts(@ForAll long seed) {
        Run run = new Run(seed);
        for (int i = 0; i < 30; i++) {
            run.step(REPLICAS);
        }
        GCounter departedFinal = run.replicas[DEPARTED];
        // the departure is acknowledged: every live replica holds the departed replica's final entry
        for (int i = 0; i < DEPARTED; i++) {
            run.replicas[i] = run.replicas[i].merge(departedFinal);
        }
        long before = run.replicas[HEIR].value();
        GCounter retirement = run.replicas[HEIR].retire(Simulation.id(DEPARTED), Simulation.id(HEIR));
        run.replicas[HEIR] = run.replicas[HEIR].merge(retirement);
        run.broadcast(HEIR, retirement);
        assertThat(run.replicas[HEIR].value()).isEqualTo(before);
        assertThat(run.replicas[HEIR].entries()).doesNotContainKey(Simulation.id(DEPARTED));

        int mark = run.pool.size();
        long[] previous = new long[DEPARTED];
        for (int r = 0; r < DEPARTED; r++) {
            previous[r] = run.replicas[r].value();
        }
        for (int i = 0; i < 40; i++) {
            run.step(DEPARTED); // stale messages from before the retirement are still in flight
            for (int r = 0; r < DEPARTED; r++) {
                long value = run.replicas[r].value();
                assertThat(value).as("replica %d never double counts", r).isLessThanOrEqualTo(run.total);
                // a transient double count would show as a drop when the tombstone arrives
                assertThat(value).as("replica %d's value never goes down", r).isGreaterThanOrEqualTo(previous[r]);
                previous[r] = value;
            }
        }
        List<GCounter> after = run.pool.subList(mark, run.pool.size());
        for (int i = 0; i < 5; i++) {
            GCounter a = after.get(run.random.nextInt(after.size()));
            GCounter b = after.get(run.random.nextInt(after.size()));
            GCounter c = after.get(run.random.nextInt(after.size()));
            assertThat(a.merge(b)).isEqualTo(b.merge(a));
            assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
            assertThat(a.merge(a)).isEqualTo(a);
            assertThat(a.value()).isLessThanOrEqualTo(run.total);
            assertThat(a.merge(b).value()).isGreaterThanOrEqualTo(Math.max(a.value(), b.value()));
        }

        run.replicas[HEIR] = run.replicas[HEIR].merge(retirement); // in case every copy was lost
        run.exchange(DEPARTED);
        for (int r = 0; r < DEPARTED; r++) {
            GCounter replica = run.replicas[r];
            assertThat(replica).isEqualTo(run.replicas[0]);
            assertThat(replica.value()).isEqualTo(run.total);
            assertThat(replica.retired()).containsOnlyKeys(Simulation.id(DEPARTED));
            assertThat(replica.merge(departedFinal).value()).as("a stale state of the departed").isEqualTo(run.total);
        }

        // every replica has the retirement and older messages are fenced off: forget the tombstone
        run.network.clear();
        for (int r = 0; r < DEPARTED; r++) {
            run.replicas[r] = run.replicas[r].forget(Set.of(Simulation.id(DEPARTED)));
            assertThat(run.replicas[r].retired()).isEmpty();
            assertThat(run.replicas[r].entries()).hasSizeLessThanOrEqualTo(DEPARTED);
            assertThat(run.replicas[r].value()).isEqualTo(run.total);
        }
        for (int i = 0; i < 20; i++) {
            run.step(DEPARTED);
        }
        run.exchange(DEPARTED);
        assertThat(run.replicas[1].value()).isEqualTo(run.total);
        assertThat(run.replicas[2]).isEqualTo(run.replicas[1]);
    }

    @Test
    void retire_pnCounter_foldsIncrementsAndDecrementsIntoTheHeir() {
        ReplicaId heir = ReplicaId.of(1);
        ReplicaId departed = ReplicaId.of(2);
        PnCounter counter = PnCounter.empty();
        counter = counter.merge(counter.add(heir, 10));
        PnCounter atDeparted = counter.merge(counter.add(departed, 5)).merge(counter.add(departed, -2));
        atDeparted = atDeparted.merge(atDeparted.add(departed, 5)).merge(atDeparted.add(departed, -2));
        counter = counter.merge(atDeparted);
        long value = counter.value();
        PnCounter retirement = counter.retire(departed, heir);
        counter = counter.merge(retirement);
        assertThat(counter.value()).isEqualTo(value);
        assertThat(counter.merge(atDeparted).value()).isEqualTo(value);
        counter = counter.forget(Set.of(departed));
        assertThat(counter.increments().entries()).containsOnlyKeys(heir);
        assertThat(counter.decrements().entries()).containsOnlyKeys(heir);
        assertThat(counter.value()).isEqualTo(value);
    }

    @Test
    void increment_ofTheHeirAfterRetirement_carriesTheTombstone() {
        ReplicaId heir = ReplicaId.of(1);
        ReplicaId departed = ReplicaId.of(2);
        GCounter counter = GCounter.empty();
        GCounter departedState = counter.merge(counter.increment(departed, 7));
        counter = departedState.merge(counter.increment(heir, 1));
        counter = counter.merge(counter.retire(departed, heir));
        GCounter increment = counter.increment(heir, 1);
        assertThat(increment.retired()).containsKey(departed);
        // a replica that never saw the retirement, receiving only the heir's later increment
        assertThat(departedState.merge(increment).value()).isEqualTo(9);
    }
}
