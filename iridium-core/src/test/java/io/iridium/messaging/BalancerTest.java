package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The power-of-two-choices balancer on a fake clock: load, latency, decay and stalled members. */
class BalancerTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final Balancer balancer = new Balancer(now::get);
    final SplittableRandom random = new SplittableRandom(7);
    final Target a = new Target(new NodeId(0, 1), new Endpoint("127.0.0.1", 1));
    final Target b = new Target(new NodeId(0, 2), new Endpoint("127.0.0.1", 2));
    final List<Target> both = List.of(a, b);

    Map<Target, Integer> choices(int rounds) {
        Map<Target, Integer> counts = new HashMap<>();
        for (int i = 0; i < rounds; i++) {
            counts.merge(balancer.choose(both, random), 1, Integer::sum);
        }
        return counts;
    }

    void complete(Target member, long latencyNanos) {
        balancer.started(member.id());
        now.addAndGet(latencyNanos);
        balancer.finished(member.id(), latencyNanos, true);
    }

    @Test
    void choose_slowerMember_isAvoided() {
        complete(a, 1_000_000);
        complete(b, 50_000_000);
        assertThat(choices(100).getOrDefault(b, 0)).isZero();
    }

    @Test
    void choose_moreOutstandingRequests_isAvoided() {
        complete(a, 1_000_000);
        complete(b, 1_000_000);
        for (int i = 0; i < 5; i++) {
            balancer.started(a.id());
        }
        assertThat(choices(100).getOrDefault(a, 0)).isZero();
    }

    @Test
    void choose_memberThatStoppedAnswering_isAvoided_evenAfterItsLatencyDecays() {
        complete(a, 1_000_000);
        complete(b, 1_000_000);
        balancer.started(b.id()); // b takes a request and goes silent
        now.addAndGet(5_000_000_000L); // long enough for every latency memory to fade
        complete(a, 1_000_000);
        assertThat(choices(100).getOrDefault(b, 0)).isZero();
    }

    @Test
    void choose_oneSlowReply_fadesWithTime_soTheMemberIsTriedAgain() {
        complete(a, 1_000_000);
        complete(b, 200_000_000);
        assertThat(choices(100).getOrDefault(b, 0)).isZero();
        now.addAndGet(20 * Balancer.DECAY_NANOS);
        complete(a, 1_000_000);
        assertThat(choices(200).getOrDefault(b, 0)).isPositive();
    }

    @Test
    void finished_outstandingNeverGoesNegative_whenEachAttemptEndsOnce() {
        balancer.started(a.id());
        balancer.finished(a.id(), 1_000, true);
        assertThat(balancer.outstanding(a.id())).isZero();
    }
}
