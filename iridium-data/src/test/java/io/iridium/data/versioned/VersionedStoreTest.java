package io.iridium.data.versioned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.ReplicaId;
import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.crdt.MvRegister;
import io.iridium.data.replication.ReplicaOptions;
import io.iridium.data.replication.Replicas;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The versioned store: concurrent puts at two replicas become siblings; a put with the context
 * of a read replaces exactly what was read; two writers alternating with their own contexts never
 * make more than two siblings (dotted version vectors, no explosion); last-writer-wins resolution
 * keeps the latest stamp and reports what it discarded; an application resolver merges them.
 */
class VersionedStoreTest {

    private static final ReplicaId A = ReplicaId.of(1);
    private static final ReplicaId B = ReplicaId.of(2);

    /** One replica's state of a key, and its clock (a counter of milliseconds). */
    private static final class Replica {
        final ReplicaId id;
        MvRegister<Stamped> state = MvRegister.empty();
        long clock;

        Replica(ReplicaId id, long clock) {
            this.id = id;
            this.clock = clock;
        }

        CausalContext put(String value, CausalContext context) {
            MvRegister<Stamped> delta = Siblings.put(state, id, new HlcTimestamp(++clock, 0), value, context);
            state = state.merge(delta);
            return delta.context();
        }

        void receive(Replica other) {
            state = state.merge(other.state);
        }
    }

    @Test
    void concurrentPuts_becomeSiblings_andAPutWithTheReadContextReplacesThem() {
        Replica a = new Replica(A, 100);
        Replica b = new Replica(B, 200);
        a.put("from-a", CausalContext.empty());
        b.put("from-b", CausalContext.empty());
        a.receive(b);
        b.receive(a);

        Versioned read = Siblings.read(a.state);
        assertThat(read.values()).containsExactlyInAnyOrder("from-a", "from-b");
        assertThat(read.hasConflict()).isTrue();

        b.put("merged", read.context());
        a.receive(b);
        assertThat(Siblings.read(a.state).values()).containsExactly("merged");
    }

    @Test
    void twoWritersAlternatingThroughOneReplica_neverMoreThanTwoSiblings() {
        Replica server = new Replica(A, 0);
        CausalContext first = CausalContext.empty();
        CausalContext second = CausalContext.empty();
        for (int round = 0; round < 50; round++) {
            first = server.put("first-" + round, first);
            second = server.put("second-" + round, second);
            assertThat(Siblings.read(server.state).siblings()).hasSizeLessThanOrEqualTo(2);
        }
        assertThat(Siblings.read(server.state).values()).containsExactlyInAnyOrder("first-49", "second-49");
    }

    @Test
    void lastWriterWins_keepsTheLatestStamp_andReportsTheDiscardedValues() {
        Replica a = new Replica(A, 1_000);
        Replica b = new Replica(B, 5_000); // B's clock runs ahead: its write wins even if made first
        b.put("written-first-by-a-fast-clock", CausalContext.empty());
        a.put("written-later", CausalContext.empty());
        a.receive(b);

        LwwResolution resolution = Siblings.lastWriterWins(Siblings.read(a.state));
        assertThat(resolution.winner().orElseThrow().value()).isEqualTo("written-first-by-a-fast-clock");
        assertThat(resolution.discarded()).extracting(Sibling::value).containsExactly("written-later");
        assertThat(resolution.lostData()).isTrue();
    }

    @Test
    void storeOnReplicas_resolverAndLww_replaceSiblingsWithOneValue() {
        try (LocalNetwork network = new LocalNetwork()) {
            NodeRuntime node = network.startNetwork("v", 1).get(0);
            try (Replicas replicas = Replicas.join(node, "carts", ReplicaOptions.defaults().withType(VersionedStore.type()))) {
                VersionedStore carts = VersionedStore.on(replicas);
                carts.put("alice", "milk", CausalContext.empty());
                carts.put("alice", "eggs", CausalContext.empty()); // a blind write: a sibling, not an overwrite
                assertThat(carts.get("alice").values()).containsExactlyInAnyOrder("milk", "eggs");

                Versioned resolved = carts.resolve("alice",
                        siblings -> String.join(",", new TreeSet<>(siblings.stream().map(Sibling::value).toList())));
                assertThat(resolved.values()).containsExactly("eggs,milk");

                carts.put("bob", "one", CausalContext.empty());
                carts.put("bob", "two", CausalContext.empty());
                LwwResolution lww = carts.resolveByLastWriterWins("bob");
                assertThat(lww.winner().orElseThrow().value()).isEqualTo("two");
                assertThat(lww.discarded()).extracting(Sibling::value).containsExactly("one");
                assertThat(carts.get("bob").values()).isEqualTo(List.of("two"));
            }
            try (Replicas plain = Replicas.join(node, "plain")) {
                assertThatThrownBy(() -> VersionedStore.on(plain)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("withType(VersionedStore.type())");
            }
        }
    }
}
