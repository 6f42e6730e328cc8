package io.iridium.data.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ad-counter scenario's one guarantee: the CRDT counter, available throughout, ends exact on
 * every replica. What the LWW and read-modify-write counters lose is measured, not asserted
 * (it is what the demo and the benchmark print); only its bounds are checked.
 */
class AdCounterScenarioTest {

    @Test
    void standardRun_crdtCounterExactEverywhere_othersNeverCountMoreThanTheTruth() {
        AdCounterScenario.Result result = AdCounterScenario.run(AdCounterScenario.Settings.standard(42));
        assertThat(result.impressions()).isGreaterThan(1_000);
        assertThat(result.crdtValues()).allMatch(value -> value == result.impressions());
        assertThat(result.crdtRefused()).isZero();
        assertThat(result.crdtConvergedMillis()).isNotNegative();
        assertThat(result.lwwValue()).isBetween(0L, result.impressions());
        assertThat(result.rmwValue()).isBetween(0L, result.impressions());
        System.out.println(result);
    }
}
