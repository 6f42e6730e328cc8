package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import org.junit.jupiter.api.Test;

class LoopbackRangeTest {

    @Test
    void candidates_selfInRange_everyOtherPort() {
        Endpoint self = new Endpoint("127.0.0.1", 47_103);
        assertThat(LoopbackRange.candidates(self))
                .hasSize(LoopbackRange.SIZE - 1)
                .doesNotContain(self)
                .allSatisfy(e -> assertThat(LoopbackRange.contains(e)).isTrue())
                .first().isEqualTo(new Endpoint("127.0.0.1", 47_100));
    }

    @Test
    void candidates_selfOutsideRange_wholeRange() {
        assertThat(LoopbackRange.candidates(new Endpoint("127.0.0.1", 7946))).isEqualTo(LoopbackRange.all());
        assertThat(LoopbackRange.all()).hasSize(16);
        assertThat(LoopbackRange.contains(new Endpoint("127.0.0.2", 47_100))).isFalse();
        assertThat(LoopbackRange.contains(new Endpoint("127.0.0.1", 47_116))).isFalse();
    }
}
