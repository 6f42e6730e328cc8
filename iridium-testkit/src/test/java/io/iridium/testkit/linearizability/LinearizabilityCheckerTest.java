package io.iridium.testkit.linearizability;

import io.iridium.testkit.linearizability.KvModel.Cas;
import io.iridium.testkit.linearizability.KvModel.Get;
import io.iridium.testkit.linearizability.KvModel.Op;
import io.iridium.testkit.linearizability.KvModel.Put;
import io.iridium.testkit.linearizability.KvModel.Result;
import io.iridium.testkit.linearizability.KvModel.Swapped;
import io.iridium.testkit.linearizability.KvModel.Value;
import io.iridium.testkit.linearizability.KvModel.Written;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Known linearizable and known non-linearizable histories, and generated ones. */
class LinearizabilityCheckerTest {

    private static History<Op, Result> history() {
        return new History<>();
    }

    private static LinearizabilityChecker.Verdict verdict(History<Op, Result> h) {
        return LinearizabilityChecker.check(KvModel.INSTANCE, h).verdict();
    }

    @Test
    void sequentialPutThenGet_isLinearizable() {
        var h = history().invoke(1, new Put("x", "1")).ok(1, new Written())
                .invoke(2, new Get("x")).ok(2, new Value("1"));
        assertThat(verdict(h)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
    }

    @Test
    void getOverlappingAPut_mayReturnTheOldOrTheNewValue() {
        for (String seen : new String[] {null, "1"}) {
            var h = history().invoke(1, new Put("x", "1")).invoke(2, new Get("x"))
                    .ok(2, new Value(seen)).ok(1, new Written());
            assertThat(verdict(h)).as("read %s", seen).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
        }
    }

    @Test
    void staleRead_afterAnAcknowledgedPut_isNotLinearizable() {
        var h = history().invoke(1, new Put("x", "1")).ok(1, new Written())
                .invoke(2, new Get("x")).ok(2, new Value(null));
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.partition()).isEqualTo("x");
        assertThat(r.explanation()).contains("Get[key=x]");
    }

    @Test
    void readsGoingBackInTime_duringAConcurrentPut_areNotLinearizable() {
        // The put is still in flight, but once a read has seen "1", a later read cannot see the old value.
        var h = history().invoke(1, new Put("x", "1"))
                .invoke(2, new Get("x")).ok(2, new Value("1"))
                .invoke(3, new Get("x")).ok(3, new Value(null))
                .ok(1, new Written());
        assertThat(verdict(h)).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void compareAndSet_winnersAndLosers() {
        var ok = history().invoke(1, new Put("x", "a")).ok(1, new Written())
                .invoke(2, new Cas("x", "a", "b")).invoke(3, new Cas("x", "a", "c"))
                .ok(2, new Swapped(true)).ok(3, new Swapped(false))
                .invoke(4, new Get("x")).ok(4, new Value("b"));
        assertThat(verdict(ok)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
        var bothWin = history().invoke(1, new Put("x", "a")).ok(1, new Written())
                .invoke(2, new Cas("x", "a", "b")).invoke(3, new Cas("x", "a", "c"))
                .ok(2, new Swapped(true)).ok(3, new Swapped(true));
        assertThat(verdict(bothWin)).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void infoPut_mayOrMayNotHaveTakenEffect_butNotBoth() {
        var seen = history().invoke(1, new Put("x", "1")).info(1)
                .invoke(2, new Get("x")).ok(2, new Value("1"));
        var notSeen = history().invoke(1, new Put("x", "1")).info(1)
                .invoke(2, new Get("x")).ok(2, new Value(null));
        var flickers = history().invoke(1, new Put("x", "1")).info(1)
                .invoke(2, new Get("x")).ok(2, new Value("1"))
                .invoke(3, new Get("x")).ok(3, new Value(null));
        assertThat(verdict(seen)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
        assertThat(verdict(notSeen)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
        assertThat(verdict(flickers)).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void failedPut_neverTookEffect_soReadingItsValueIsNotLinearizable() {
        var h = history().invoke(1, new Put("x", "1")).fail(1)
                .invoke(2, new Get("x")).ok(2, new Value("1"));
        assertThat(verdict(h)).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void keysAreIndependent_aViolationOnOneKeyIsReportedWithThatKey() {
        var h = history().invoke(1, new Put("a", "1")).ok(1, new Written())
                .invoke(1, new Put("b", "2")).ok(1, new Written())
                .invoke(2, new Get("a")).ok(2, new Value("1"))
                .invoke(2, new Get("b")).ok(2, new Value("stale"));
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.partition()).isEqualTo("b");
    }

    @Test
    void tinyBudget_givesUnknownRatherThanAWrongAnswer() {
        History<Op, Result> h = generate(new SplittableRandom(1), 6, 200, false);
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(KvModel.INSTANCE, h.operations(), 5);
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.UNKNOWN);
    }

    /**
     * Generates a history from a real atomic register: each operation takes effect at a random
     * instant inside its interval. With {@code corrupt}, one read returns a value nobody wrote.
     */
    static History<Op, Result> generate(SplittableRandom random, int processes, int operations, boolean corrupt) {
        record Action(int process, boolean invoke, Op op) {
        }
        History<Op, Result> h = new History<>();
        String[] register = {null};
        List<Integer> idle = new ArrayList<>();
        List<Integer> busy = new ArrayList<>();
        Op[] current = new Op[processes];
        Result[] results = new Result[processes];
        boolean[] applied = new boolean[processes];
        for (int p = 0; p < processes; p++) {
            idle.add(p);
        }
        int started = 0;
        int corruptAt = corrupt ? random.nextInt(operations) : -1;
        while (started < operations || !busy.isEmpty()) {
            int choice = random.nextInt(3);
            if (choice == 0 && started < operations && !idle.isEmpty()) {
                int p = idle.remove(random.nextInt(idle.size()));
                Op op = switch (random.nextInt(3)) {
                    case 0 -> new Get("k");
                    case 1 -> new Put("k", "v" + started);
                    default -> new Cas("k", random.nextBoolean() ? null : "v" + random.nextInt(started + 1), "c" + started);
                };
                current[p] = op;
                applied[p] = false;
                h.invoke(p, op);
                busy.add(p);
                if (started == corruptAt) {
                    current[p] = new Get("k");
                }
                started++;
            } else if (choice == 1 && !busy.isEmpty()) {
                int p = busy.get(random.nextInt(busy.size()));
                if (!applied[p]) {
                    applied[p] = true;
                    results[p] = switch (current[p]) {
                        case Get g -> new Value(register[0]);
                        case Put put -> {
                            register[0] = put.value();
                            yield new Written();
                        }
                        case Cas cas -> {
                            boolean match = java.util.Objects.equals(cas.expected(), register[0]);
                            if (match) {
                                register[0] = cas.value();
                            }
                            yield new Swapped(match);
                        }
                    };
                }
            } else if (!busy.isEmpty()) {
                int p = busy.get(random.nextInt(busy.size()));
                if (applied[p]) {
                    busy.remove(Integer.valueOf(p));
                    idle.add(p);
                    h.ok(p, results[p]);
                }
            }
        }
        return h;
    }

    @Property(tries = 50)
    void generatedHistoriesOfAnAtomicRegister_areLinearizable(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int processes) {
        History<Op, Result> h = generate(new SplittableRandom(seed), processes, 300, false);
        assertThat(LinearizabilityChecker.check(KvModel.INSTANCE, h).verdict())
                .isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
    }

    @Test
    void generatedHistoryWithAReadOfAValueNobodyWrote_isNotLinearizable() {
        for (long seed = 1; seed <= 20; seed++) {
            History<Op, Result> h = new History<>();
            for (Operation<Op, Result> op : sorted(generate(new SplittableRandom(seed), 4, 200, false))) {
                h.invoke(op.process(), op.input());
                h.ok(op.process(), op.output());
            }
            h.invoke(99, new Get("k")).ok(99, new Value("never-written"));
            assertThat(LinearizabilityChecker.check(KvModel.INSTANCE, h).verdict()).as("seed %d", seed)
                    .isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        }
    }

    private static List<Operation<Op, Result>> sorted(History<Op, Result> h) {
        List<Operation<Op, Result>> ops = new ArrayList<>(h.operations());
        ops.sort(java.util.Comparator.comparingLong(Operation::invoke));
        return ops;
    }
}
