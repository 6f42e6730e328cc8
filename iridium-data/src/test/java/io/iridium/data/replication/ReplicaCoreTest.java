package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.ReplicaId;
import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.crdt.LwwRegister;
import io.iridium.data.replication.ReplicaMessage.Deltas;
import io.iridium.data.replication.ReplicaMessage.Handoff;
import io.iridium.data.replication.ReplicaMessage.HandoffAck;
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
    void remoteStateStampedBeyondTheMaximumSkew_isDroppedAndCounted_thenMergedOnceWithinTheLimit() {
        ManualEnvironment environment = new ManualEnvironment(1);
        ReplicaCore core = ReplicaCore.builder(A, environment, new Recorder()).build();
        HlcTimestamp tooFar = new HlcTimestamp(environment.now + ReplicaConfig.defaults().maxClockSkewMillis() + 1, 0);
        LwwRegister<String> remote = LwwRegister.<String>empty().set(B, tooFar, "from the future");
        Deltas deltas = new Deltas(B, List.of(new KeyState("owner", ReplicatedType.lwwRegister().name(),
                ReplicatedType.lwwRegister().codec().encode(remote))));
        core.receive(deltas);

        assertThat(core.clock()).isLessThan(tooFar);
        assertThat(core.value("owner", ReplicatedType.lwwRegister()).value()).isEmpty();
        assertThat(core.stats().statesTooFarAhead()).isEqualTo(1);

        environment.now += 10; // real time catches up: anti-entropy's next offer merges
        core.receive(deltas);
        assertThat(core.value("owner", ReplicatedType.lwwRegister()).value()).contains("from the future");
    }

    @Test
    void majorityCountsEveryKnownReplica_notTheShrunkenView_untilTheyAreKnownToHaveLeft() {
        Recorder wire = new Recorder();
        ReplicaCore core = ReplicaCore.builder(A, new ManualEnvironment(3), wire).build();
        ReplicaId d = ReplicaId.of(4);
        ReplicaId e = ReplicaId.of(5);
        core.setPeers(List.of(A, B, C, d, e));
        core.setPeers(List.of(B)); // a partition: only B is still visible

        assertThat(core.replicaCount()).isEqualTo(5);
        CompletableFuture<?> write = core.update("tags", ReplicatedType.orSet(), (s, ctx) -> s.add(ctx.replica(), "x"),
                Consistency.MAJORITY, 5_000);
        core.receive(new WriteAck(B, wire.sent(Write.class).getFirst().id()));
        assertThat(write).as("2 of 5 is no majority").isNotDone();

        core.receive(new ReplicaMessage.Departed(C, List.of(C))); // C left gracefully
        core.forgetReplica(d);                                     // d crashed for good: the operator removes it
        assertThat(core.knownReplicas()).containsExactlyInAnyOrder(B, e);
        assertThat(core.replicaCount()).isEqualTo(3);
        core.setPeers(List.of(B, C, d)); // a stale view does not bring departed replicas back
        assertThat(core.replicaCount()).isEqualTo(3);
    }

    @Test
    void temporaryReplica_doesNotCountItself_needsAMajorityOfTheOthers() {
        Recorder wire = new Recorder();
        ReplicaCore client = ReplicaCore.builder(ReplicaId.of(9), new ManualEnvironment(4), wire).temporary(true).build();
        client.setPeers(List.of(A, B, C));
        CompletableFuture<?> write = client.update("tags", ReplicatedType.orSet(), (s, ctx) -> s.add(ctx.replica(), "x"),
                Consistency.MAJORITY, 5_000);
        long id = wire.sent(Write.class).getFirst().id();

        client.receive(new WriteAck(A, id));
        assertThat(write).as("itself and A would be 2 of 4, but it does not count").isNotDone();
        client.receive(new WriteAck(B, id));
        assertThat(write).isCompleted();
    }

    @Test
    void deadlinesFollowTheMonotonicClock_notTheWallClock() {
        Recorder wire = new Recorder();
        ManualEnvironment monotonic = new ManualEnvironment(5);
        long[] wall = {1_700_000_000_000L};
        ReplicaCore core = ReplicaCore.builder(A, monotonic, wire).wallClock(() -> wall[0]).build();
        core.setPeers(List.of(B, C));
        CompletableFuture<?> write = core.update("tags", ReplicatedType.orSet(), (s, ctx) -> s.add(ctx.replica(), "x"),
                Consistency.MAJORITY, 5_000);

        wall[0] += 3_600_000; // an NTP step of an hour
        core.tick();
        assertThat(write).as("a wall-clock jump does not expire the deadline").isNotDone();
        core.update("owner", ReplicatedType.lwwRegister(), (r, ctx) -> r.set(ctx.replica(), ctx.timestamp(), "x"),
                Consistency.LOCAL, 1_000);
        assertThat(core.value("owner", ReplicatedType.lwwRegister()).timestamp().wallTime())
                .as("the hybrid logical clock follows the wall clock").isEqualTo(wall[0]);
        monotonic.now += 5_000;
        core.tick();
        assertThat(write).isCompletedExceptionally();
    }

    @Test
    void readReplyForAnotherKey_neitherCountsNorMerges() {
        Recorder wire = new Recorder();
        ReplicaCore core = ReplicaCore.builder(A, new ManualEnvironment(6), wire).build();
        core.setPeers(List.of(B, C));
        CompletableFuture<?> read = core.read("wanted", ReplicatedType.counter(), Consistency.MAJORITY, 5_000);
        long id = wire.sent(ReplicaMessage.Read.class).getFirst().id();
        var other = ReplicatedType.counter().empty().add(B, 7);
        core.receive(new ReplicaMessage.ReadReply(B, id, java.util.Optional.of(
                new KeyState("other", ReplicatedType.counter().name(), ReplicatedType.counter().codec().encode(other)))));

        assertThat(read).isNotDone();
        assertThat(core.keys()).doesNotContain("other");
        assertThat(core.stats().misdirectedReplies()).isEqualTo(1);
    }

    @Test
    void handoffNamingAnotherSender_orFromAReplicaThatLeftThroughAnotherHeir_isNotAccepted() {
        Recorder wire = new Recorder();
        ReplicaCore leaver = ReplicaCore.builder(C, new ManualEnvironment(7), wire).build();
        leaver.setPeers(List.of(A, B));
        leaver.update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 5), Consistency.LOCAL, 1_000);
        leaver.leave(5_000);
        Handoff offered = wire.sent(Handoff.class).getFirst();

        ReplicaCore b = ReplicaCore.builder(B, new ManualEnvironment(8), new Recorder()).build();
        assertThat(b.receive(A, offered)).as("A forwarding C's hand-off").isEmpty();
        assertThat(b.stats().spoofedHandoffs()).isEqualTo(1);
        b.receive(new ReplicaMessage.Departed(C, List.of(C)));
        assertThat(b.receive(C, offered)).as("C already left through another heir").isEmpty();
        assertThat(b.keys()).doesNotContain("hits");
    }

    @Test
    void lostHandoffAck_thenTheHeirStartsLeaving_theResentHandoffIsAcknowledged_oneHeirOnly() {
        Recorder wire = new Recorder();
        ReplicaCore leaver = ReplicaCore.builder(C, new ManualEnvironment(1), wire).build();
        leaver.setPeers(List.of(A, B));
        leaver.update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 5), Consistency.LOCAL, 1_000);
        CompletableFuture<Boolean> left = leaver.leave(5_000);
        Handoff toA = wire.sent(Handoff.class).getFirst();

        ReplicaCore heir = ReplicaCore.builder(A, new ManualEnvironment(2), new Recorder()).build();
        heir.setPeers(List.of(B, C));
        assertThat(heir.receive(C, toA)).isPresent(); // accepted; the acknowledgement is lost
        heir.leave(5_000);                             // and now the heir leaves too
        HandoffAck again = (HandoffAck) heir.receive(C, toA).orElseThrow();
        assertThat(again.accepted()).as("a hand-off already taken is acknowledged, not refused").isTrue();
        leaver.receive(again);

        assertThat(left).isCompletedWithValue(true);
        assertThat(wire.events).doesNotContain("send Handoff to " + B);
        var counter = heir.value("hits", ReplicatedType.counter());
        assertThat(counter.value()).isEqualTo(5);
        assertThat(counter.increments().retired().get(C).heir()).isEqualTo(A);
        var leaversCopy = leaver.value("hits", ReplicatedType.counter());
        assertThat(leaversCopy.increments().retired().get(C).heir())
                .as("the leaver retires itself into the heir in its own copy too").isEqualTo(A);
        assertThat(leaversCopy.value()).isEqualTo(5);
    }

    @Test
    void undeliveredReport_movesOnOnlyWhenNoEarlierSendToThatHeirCanHaveBeenProcessed() {
        Recorder wire = new Recorder();
        ReplicaCore leaver = ReplicaCore.builder(C, new ManualEnvironment(1), wire).build();
        leaver.setPeers(List.of(A, B));
        leaver.update("hits", ReplicatedType.counter(), (c, ctx) -> c.add(ctx.replica(), 5), Consistency.LOCAL, 1_000);
        leaver.leave(5_000);
        for (int i = 0; i < ReplicaConfig.defaults().retryEveryTicks(); i++) {
            leaver.tick(); // a retry: the first send timed out (maybe processed), the retry is resent
        }
        assertThat(wire.sent(Handoff.class)).hasSize(2);

        leaver.undelivered(A, wire.sent(Handoff.class).getLast()); // only the retry certainly failed
        assertThat(wire.events).doesNotContain("send Handoff to " + B);
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
