package io.iridium.testkit.linearizability;

import io.iridium.testkit.linearizability.CounterModel.Add;
import io.iridium.testkit.linearizability.CounterModel.Op;
import io.iridium.testkit.linearizability.CounterModel.Read;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The counter model with the checker: histories a correct counter produces, and ones it cannot. */
class CounterModelTest {

    private static LinearizabilityChecker.Verdict verdict(History<Op, Long> h) {
        return LinearizabilityChecker.check(CounterModel.INSTANCE, h).verdict();
    }

    @Test
    void concurrentAdds_mayBeOrderedEitherWay() {
        var h = new History<Op, Long>().invoke(1, new Add("c", 1)).invoke(2, new Add("c", 10))
                .ok(1, 11L).ok(2, 10L).invoke(3, new Read("c")).ok(3, 11L);
        assertThat(verdict(h)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
    }

    @Test
    void anAddAppliedTwice_isNotLinearizable() {
        var h = new History<Op, Long>().invoke(1, new Add("c", 1)).ok(1, 1L)
                .invoke(2, new Add("c", 1)).ok(2, 3L);
        assertThat(verdict(h)).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anAddWithUnknownOutcome_mayOrMayNotHaveHappened() {
        var took = new History<Op, Long>().invoke(1, new Add("c", 5)).info(1).invoke(2, new Read("c")).ok(2, 5L);
        var didNot = new History<Op, Long>().invoke(1, new Add("c", 5)).info(1).invoke(2, new Read("c")).ok(2, 0L);
        assertThat(verdict(took)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
        assertThat(verdict(didNot)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
    }

    @Test
    void countersArePartitionedByName() {
        var h = new History<Op, Long>().invoke(1, new Add("a", 1)).ok(1, 1L)
                .invoke(2, new Add("b", 1)).ok(2, 1L).invoke(3, new Read("a")).ok(3, 2L);
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(CounterModel.INSTANCE, h);
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.partition()).isEqualTo("a");
    }
}
