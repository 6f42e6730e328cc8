package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.crdt.LwwRegister;
import io.iridium.data.replication.ReplicaMessage.Deltas;
import io.iridium.data.replication.ReplicaMessage.Handoff;
import io.iridium.data.replication.ReplicaMessage.Write;
import io.iridium.data.replication.ReplicaMessage.WriteAck;
import io.iridium.env.Environment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * One {@link ReplicaCore} driven by hand, for the rules the simulator would only hit by chance:
 * remote last-writer-wins stamps move the local clock, a reply meant for an earlier incarnation
 * cannot confirm a new write, states are saved before they are gossiped, and a hand-off that
 * certainly did not arrive moves on to the next heir.
 */
class ReplicaCoreTest {

    private static final ReplicaId A = ReplicaId.of(1);
    private static final ReplicaId B = ReplicaId.of(2);
    private static final ReplicaId C = ReplicaId.of(3);

    /** A clock the test moves, and seeded randomness. */
    private static final class ManualEnvironment implements Environment {
        long now = 1_000_000;
        final RandomGenerator random;

        ManualEnvironment(long seed) {
            random = new SplittableRandom(seed);
        }

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }
    }

    /** Records what the core sends, and the order of sends and saves. */
    private static final class Recorder implements ReplicaTransport, ReplicaStorage {
        final List<ReplicaMessage> sent = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void broadcast(Deltas deltas) {
            sent.add(deltas);
            events.add("broadcast");
        }

        @Override
        public void send(ReplicaId to, ReplicaMessage message) {
            sent.add(message);
            events.add("send " + message.getClass().getSimpleName() + " to " + to);
        }

        @Override
        public Collection<KeyState> load() {
            return List.of();
        }

        @Override
        public void save(KeyState state) {
            events.add("save " + state.key());
        }

        <M extends ReplicaMessage> List<M> sent(Class<M> type) {
            return sent.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    void remoteLwwStampAhead_movesTheLocalClock_soAPlainLocalWriteWins() {
        ManualEnvironment environment = new ManualEnvironment(1);
        ReplicaCore core = ReplicaCore.builder(A, environment, new Recorder()).build();
        HlcTimestamp ahead = new HlcTimestamp(environment.now + 10_000, 3); // a writer with a fast clock
        LwwRegister<String> remote = LwwRegister.<String>empty().set(B, ahead, "theirs");
        core.receive(new Deltas(B, List.of(new KeyState("owner", ReplicatedType.lwwRegister().name(),
                ReplicatedType.lwwRegister().codec().encode(remote)))));

        assertThat(core.clock()).isGreaterThan(ahead);
        core.update("owner", ReplicatedType.lwwRegister(), (r, ctx) -> r.set(ctx.replica(), ctx.timestamp(), "mine"),
                Consistency.LOCAL, 1_000);
        assertThat(core.value("owner", ReplicatedType.lwwRegister()).value()).contains("mine");
    }

    @Test
    void remoteStampBeyondTheMaximumSkew_isIgnoredByTheClock() {
        ManualEnvironment environment = new ManualEnvironment(1);
        ReplicaCore core = ReplicaCore.builder(A, environment, new Recorder()).build();
        HlcTimestamp tooFar = new HlcTimestamp(environment.now + ReplicaConfig.defaults().maxClockSkewMillis() + 1, 0);
        LwwRegister<String> remote = LwwRegister.<String>empty().set(B, tooFar, "from the future");
        core.receive(new Deltas(B, List.of(new KeyState("owner", ReplicatedType.lwwRegister().name(),
                ReplicatedType.lwwRegister().codec().encode(remote)))));

        assertThat(core.clock()).isLessThan(tooFar);
        assertThat(core.value("owner", ReplicatedType.lwwRegister()).value()).contains("from the future");
    }

    @Test
    void ackForAnEarlierIncarnationsWrite_doesNotConfirmANewWrite() {
        Recorder wire = new Recorder();
        ReplicaCore before = ReplicaCore.builder(A, new ManualEnvironment(7), wire).build();
        before.setPeers(List.of(B, C));
        before.update("tags", ReplicatedType.orSet(), (s, ctx) -> s.add(ctx.replica(), "x"), Consistency.MAJORITY, 5_000);
        Write write = wire.sent(Write.class).getFirst();
        ReplicaCore replicaB = ReplicaCore.builder(B, new ManualEnvironment(8), new Recorder()).build();
        WriteAck ack = (WriteAck) replicaB.receive(write).orElseThrow();

        // The writer's process restarts at the same address: a new identity, a new write.
        ReplicaCore after = ReplicaCore.builder(ReplicaId.of(4), new ManualEnvironment(9), new Recorder()).build();
        after.setPeers(List.of(B, C));
        CompletableFuture<?> fresh = after.update("tags", ReplicatedType.orSet(),
                (s, ctx) -> s.add(ctx.replica(), "y"), Consistency.MAJORITY, 5_000);
        after.receive(ack); // the old reply arrives at the new incarnation

        assertThat(fresh).isNotDone();
        assertThat(after.pendingOperations()).isEqualTo(1);
    }

    @Test
    void localUpdate_isSavedBeforeItsDeltaIsGossiped() {
        Recorder recorder = new Recorder();
        ReplicaCore core = ReplicaCore.builder(A, new ManualEnvironment(1), recorder).storage(recorder).build();
        core.setPeers(List.of(B));
        core.update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 1), Consistency.LOCAL, 1_000);
        core.tick();

        assertThat(recorder.events).containsExactly("save hits", "broadcast");
    }

    @Test
    void handoffThatCertainlyDidNotArrive_movesToTheNextHeir_andAnAcceptingHeirRetiresTheEntry() {
        Recorder wire = new Recorder();
        ReplicaCore leaver = ReplicaCore.builder(C, new ManualEnvironment(1), wire).build();
        leaver.setPeers(List.of(A, B));
        leaver.update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 5), Consistency.LOCAL, 1_000);
        CompletableFuture<Boolean> left = leaver.leave(5_000);
        assertThat(wire.events).contains("send Handoff to " + A);

        leaver.undelivered(A, wire.sent(Handoff.class).getFirst());
        assertThat(wire.events).contains("send Handoff to " + B);
        Handoff toB = wire.sent(Handoff.class).getLast();
        ReplicaCore heir = ReplicaCore.builder(B, new ManualEnvironment(2), new Recorder()).build();
        heir.setPeers(List.of(A));
        ReplicaMessage ack = heir.receive(toB).orElseThrow();
        leaver.receive(ack);

        assertThat(left).isCompletedWithValue(true);
        var counter = heir.value("hits", ReplicatedType.counter());
        assertThat(counter.value()).isEqualTo(5);
        assertThat(counter.increments().entries()).containsOnlyKeys(B);
        assertThat(counter.increments().retired()).containsOnlyKeys(C);
        assertThat(heir.receive(toB)).as("a resent hand-off is acknowledged again").isPresent();
        assertThat(heir.value("hits", ReplicatedType.counter())).isEqualTo(counter);
    }
}
