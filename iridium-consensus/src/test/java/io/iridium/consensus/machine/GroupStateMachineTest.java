package io.iridium.consensus.machine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupStateMachineTest {

    private final GroupStateMachine machine = new GroupStateMachine();
    private long time = 1_000;

    private Result apply(long client, long seq, Command command) {
        return machine.apply(MachineCodec.encodeEnvelope(new Envelope(client, seq, time, command)));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void kv_putDeleteCas_countRevisionsPerChange() {
        assertThat(apply(0, 0, new Command.Put("a", b("1")))).isEqualTo(new Result.Written(1));
        assertThat(apply(0, 0, new Command.Put("a", b("2")))).isEqualTo(new Result.Written(2));
        Result.Found found = (Result.Found) machine.read(new Query.Get("a"));
        assertThat(found.entry().orElseThrow().valueText()).isEqualTo("2");
        assertThat(found.entry().get().createRevision()).isEqualTo(1);
        assertThat(found.entry().get().modRevision()).isEqualTo(2);
        assertThat(found.entry().get().version()).isEqualTo(2);
        assertThat(apply(0, 0, new Command.CompareAndSet("a", b("1"), b("3")))).isEqualTo(new Result.Swapped(false, 2));
        assertThat(apply(0, 0, new Command.CompareAndSet("a", b("2"), b("3")))).isEqualTo(new Result.Swapped(true, 3));
        assertThat(apply(0, 0, new Command.CompareAndSet("b", null, b("x")))).isEqualTo(new Result.Swapped(true, 4));
        assertThat(apply(0, 0, new Command.Delete("a"))).isEqualTo(new Result.Deleted(true, 5));
        assertThat(apply(0, 0, new Command.Delete("a"))).isEqualTo(new Result.Deleted(false, 5));
        assertThat(machine.read(new Query.Get("a"))).isEqualTo(new Result.Found(Optional.empty(), 5));
    }

    @Test
    void range_returnsKeysWithThePrefixInOrder_upToTheLimit() {
        for (String key : List.of("app/b", "app/a", "apq", "ap", "app/c")) {
            apply(0, 0, new Command.Put(key, b(key)));
        }
        Result.Listed listed = (Result.Listed) machine.read(new Query.Range("app/", 2));
        assertThat(listed.entries()).extracting(KeyValue::key).containsExactly("app/a", "app/b");
        assertThat(listed.more()).isTrue();
        Result.Listed all = (Result.Listed) machine.read(new Query.Range("app/", 10));
        assertThat(all.entries()).extracting(KeyValue::key).containsExactly("app/a", "app/b", "app/c");
        assertThat(all.more()).isFalse();
    }

    @Test
    void session_retriedCommand_appliesOnceAndReturnsTheCachedResult() {
        assertThat(apply(7, 1, new Command.Add("hits", 5))).isEqualTo(new Result.Count(5));
        assertThat(apply(7, 1, new Command.Add("hits", 5))).isEqualTo(new Result.Count(5));
        assertThat(apply(7, 2, new Command.Add("hits", 5))).isEqualTo(new Result.Count(10));
        assertThat(apply(7, 1, new Command.Add("hits", 5))).isInstanceOf(Result.Rejected.class);
        assertThat(machine.read(new Query.CounterValue("hits"))).isEqualTo(new Result.Count(10));
        assertThat(apply(0, 0, new Command.Add("hits", 1))).isEqualTo(new Result.Count(11));
        assertThat(apply(0, 0, new Command.Add("hits", 1))).isEqualTo(new Result.Count(12));
    }

    @Test
    void session_idleForAnHourOfLogTime_isForgotten() {
        apply(7, 1, new Command.Add("c", 1));
        time += SessionTable.IDLE_EXPIRY_MILLIS + 1;
        apply(8, 1, new Command.Add("c", 1));
        assertThat(machine.sessions()).isEqualTo(1);
    }

    @Test
    void lock_grantsIncreasingTokens_queuesFairly_andHandsOnAtRelease() {
        Result.Granted first = (Result.Granted) apply(1, 1, new Command.Acquire("L", 1000));
        assertThat(apply(2, 1, new Command.Acquire("L", 1000))).isEqualTo(new Result.Queued(1));
        assertThat(apply(3, 1, new Command.Acquire("L", 1000))).isEqualTo(new Result.Queued(2));
        assertThat(apply(2, 2, new Command.Acquire("L", 1000))).isEqualTo(new Result.Queued(1));
        assertThat(apply(1, 2, new Command.Release("L"))).isEqualTo(new Result.Released(true));
        Result.LockHeld held = (Result.LockHeld) machine.read(new Query.LockInfo("L"));
        assertThat(held.holder()).contains(2L);
        assertThat(held.token()).isGreaterThan(first.token());
        assertThat(held.waiters()).isEqualTo(1);
        Result.Granted again = (Result.Granted) apply(2, 3, new Command.Acquire("L", 1000));
        assertThat(again.token()).isEqualTo(held.token());
    }

    @Test
    void lock_leaseEndsOnlyByLogTime_thenTheNextWaiterHoldsIt() {
        Result.Granted first = (Result.Granted) apply(1, 1, new Command.Acquire("L", 1000));
        apply(2, 1, new Command.Acquire("L", 5000));
        time += 999;
        apply(9, 1, new Command.Add("tick", 1));
        assertThat(machine.holder("L").orElseThrow().holder()).contains(1L);
        time += 1;
        apply(9, 2, new Command.Add("tick", 1));
        Result.LockHeld now = machine.holder("L").orElseThrow();
        assertThat(now.holder()).contains(2L);
        assertThat(now.token()).isGreaterThan(first.token());
        assertThat(apply(1, 2, new Command.Release("L"))).isEqualTo(new Result.Released(false));
    }

    @Test
    void lock_keepAliveRenewsTheHoldersLease_andAnEarlierTimestampNeverRewindsTheClock() {
        apply(1, 1, new Command.Acquire("L", 1000));
        time += 800;
        assertThat(apply(1, 2, new Command.KeepAlive())).isEqualTo(new Result.Renewed(1));
        time -= 500;                                     // a skewed leader stamps an earlier time
        apply(9, 1, new Command.Add("tick", 1));
        assertThat(machine.now()).isEqualTo(1_800);
        time = 2_700;
        apply(9, 2, new Command.Add("tick", 1));
        assertThat(machine.holder("L").orElseThrow().holder()).contains(1L);
        time = 2_800;
        apply(9, 3, new Command.Add("tick", 1));
        assertThat(machine.holder("L")).isEmpty();
    }

    @Test
    void lock_withoutASession_isRefused() {
        assertThat(apply(0, 0, new Command.Acquire("L", 1000))).isInstanceOf(Result.Rejected.class);
    }

    @Test
    void malformedEntry_isRejectedWithoutEffect() {
        assertThat(machine.apply(new byte[]{1, 2, 3})).isInstanceOf(Result.Rejected.class);
        assertThat(machine.revision()).isZero();
    }

    @Test
    void badInput_failsWithAClearMessage() {
        assertThatThrownBy(() -> new Command.Acquire("L", 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Query.Range("", 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Envelope(5, 0, 0, new Command.KeepAlive())).hasMessageContaining("start at 1");
        assertThatThrownBy(() -> MachineCodec.decodeResult(new byte[]{99})).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 50)
    void snapshot_restoredOnAnotherReplica_givesTheSameStateAndTheSameFuture(@ForAll long seed,
                                                                            @ForAll @IntRange(min = 1, max = 300) int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        GroupStateMachine a = new GroupStateMachine();
        List<Envelope> commands = new java.util.ArrayList<>();
        long clock = 0;
        for (int i = 0; i < steps * 2; i++) {
            clock += random.nextInt(50);
            long client = random.nextInt(4);
            Command c = switch (random.nextInt(7)) {
                case 0 -> new Command.Put("k" + random.nextInt(5), b("v" + i));
                case 1 -> new Command.Delete("k" + random.nextInt(5));
                case 2 -> new Command.CompareAndSet("k" + random.nextInt(5), random.nextBoolean() ? null : b("v" + random.nextInt(i + 1)), b("c" + i));
                case 3 -> new Command.Acquire("L" + random.nextInt(2), 1 + random.nextInt(300));
                case 4 -> new Command.Release("L" + random.nextInt(2));
                case 5 -> new Command.KeepAlive();
                default -> new Command.Add("n", random.nextLong(-5, 6));
            };
            commands.add(new Envelope(client, client == 0 ? 0 : i + 1, clock, c));
        }
        for (Envelope e : commands.subList(0, steps)) {
            a.apply(MachineCodec.decodeEnvelope(MachineCodec.encodeEnvelope(e)));
        }
        GroupStateMachine b = new GroupStateMachine();
        b.restore(a.snapshot());
        assertThat(b.snapshot()).isEqualTo(a.snapshot());
        for (Envelope e : commands.subList(steps, commands.size())) {
            Result ra = a.apply(e);
            assertThat(MachineCodec.decodeResult(MachineCodec.encodeResult(ra))).isEqualTo(ra);
            assertThat(b.apply(e)).isEqualTo(ra);
        }
        assertThat(b.snapshot()).isEqualTo(a.snapshot());
    }
}
