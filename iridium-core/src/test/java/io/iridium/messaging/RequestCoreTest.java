package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.IridiumException;
import io.iridium.NodeId;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The request lifecycle without I/O: retries, typed failures, one completion, one balancer end per attempt. */
class RequestCoreTest {
    final NodeId self = new NodeId(0, 99);
    final Target a = new Target(new NodeId(0, 1), new Endpoint("127.0.0.1", 1));
    final Target b = new Target(new NodeId(0, 2), new Endpoint("127.0.0.1", 2));
    final Target local = new Target(self, new Endpoint("127.0.0.1", 99));
    List<Target> servers = List.of(a, b);
    long now = 1_000;
    final List<Target> sent = new ArrayList<>();
    final ArrayDeque<SendResult> sendResults = new ArrayDeque<>();
    final Map<Long, RequestCore.Outcome> outcomes = new HashMap<>();
    final List<Long> ranLocally = new ArrayList<>();
    boolean localAdmits = true;
    final RouteTable routes = new RouteTable() {
        @Override
        public List<Target> servers(String cluster) {
            return servers;
        }

        @Override
        public List<Target> subscribers(String subject) {
            return List.of();
        }
    };
    final RequestCore core = new RequestCore(self, () -> routes, () -> now * 1_000_000L, new SplittableRandom(3),
            (to, request) -> {
                sent.add(to);
                return sendResults.isEmpty() ? SendResult.QUEUED : sendResults.poll();
            },
            (id, cluster, body, deadline) -> {
                ranLocally.add(id);
                return localAdmits;
            },
            (id, outcome) -> assertThat(outcomes.put(id, outcome)).as("completed twice").isNull());

    private IridiumException failure(long id) {
        return ((RequestCore.Outcome.Failed) outcomes.get(id)).failure();
    }

    private NodeId last() {
        return sent.get(sent.size() - 1).id();
    }

    @Test
    void request_replied_completesOnceAndEndsTheAttempt() {
        core.submit(1, "svc", new byte[] {1}, now + 100, now);
        NodeId target = last();
        assertThat(core.outstanding(target)).isEqualTo(1);
        assertThat(core.onReply(target, 1, new byte[] {2})).isTrue();
        assertThat(((RequestCore.Outcome.Replied) outcomes.get(1L)).body()).containsExactly(2);
        assertThat(core.onReply(target, 1, new byte[] {3})).as("a late duplicate").isFalse();
        assertThat(core.outstanding(target)).isZero();
        assertThat(core.pendingCount()).isZero();
    }

    @Test
    void request_answerFromAnotherMember_isIgnored() {
        core.submit(1, "svc", new byte[0], now + 100, now);
        NodeId other = last().equals(a.id()) ? b.id() : a.id();
        assertThat(core.onReply(other, 1, new byte[0])).isFalse();
        assertThat(core.onRefused(other, 1, WireMessage.Refused.Reason.NOT_MEMBER, now)).isFalse();
        assertThat(outcomes).isEmpty();
    }

    @Test
    void request_refusedNotMemberThenOverloaded_triesEachMemberOnceThenFailsOverloaded() {
        core.submit(1, "svc", new byte[0], now + 100, now);
        NodeId first = last();
        assertThat(core.onRefused(first, 1, WireMessage.Refused.Reason.NOT_MEMBER, now)).isTrue();
        NodeId second = last();
        assertThat(second).isNotEqualTo(first);
        assertThat(core.onRefused(first, 1, WireMessage.Refused.Reason.NOT_MEMBER, now)).as("a second refusal of an ended attempt").isFalse();
        core.onRefused(second, 1, WireMessage.Refused.Reason.OVERLOADED, now);
        assertThat(failure(1)).isInstanceOf(IridiumException.Overloaded.class);
        assertThat(sent).hasSize(2);
        assertThat(core.outstanding(a.id()) + core.outstanding(b.id())).isZero();
    }

    @Test
    void request_forOneMember_goesOnlyThere_andIsNotRetriedElsewhere() {
        core.submit(1, "svc", b.id(), new byte[0], now + 100, now);
        assertThat(last()).isEqualTo(b.id());
        core.onRefused(b.id(), 1, WireMessage.Refused.Reason.OVERLOADED, now);
        assertThat(sent).as("no failover to the other member").hasSize(1);
        assertThat(failure(1)).isInstanceOf(IridiumException.Overloaded.class);
    }

    @Test
    void request_forAMemberThatDoesNotServe_failsNoMembersNamingIt() {
        NodeId stranger = new NodeId(0, 99);
        core.submit(1, "svc", stranger, new byte[0], now + 100, now);
        assertThat(sent).isEmpty();
        assertThat(failure(1)).isInstanceOf(IridiumException.NoMembers.class).hasMessageContaining(stranger.toString());
    }

    @Test
    void request_noServers_failsNoMembersAtOnce() {
        servers = List.of();
        core.submit(1, "svc", new byte[0], now + 100, now);
        assertThat(failure(1)).isInstanceOf(IridiumException.NoMembers.class);
    }

    @Test
    void request_backPressureEverywhere_failsBackPressure() {
        sendResults.add(SendResult.BACK_PRESSURE);
        sendResults.add(SendResult.CLOSED);
        core.submit(1, "svc", new byte[0], now + 100, now);
        assertThat(sent).hasSize(2);
        assertThat(failure(1)).isInstanceOf(IridiumException.BackPressure.class);
        assertThat(core.outstanding(a.id()) + core.outstanding(b.id())).isZero();
    }

    @Test
    void request_refusedExpired_waitsForItsOwnDeadline() {
        core.submit(1, "svc", new byte[0], now + 100, now);
        assertThat(core.onRefused(last(), 1, WireMessage.Refused.Reason.EXPIRED, now)).isTrue();
        assertThat(sent).hasSize(1);
        assertThat(outcomes).isEmpty();
        core.tick(now + 99);
        assertThat(outcomes).isEmpty();
        core.tick(now + 100);
        assertThat(failure(1)).isInstanceOf(IridiumException.TimedOut.class);
    }

    @Test
    void request_memberDiesAfterSend_failsWithOutcomeUnknown() {
        core.submit(1, "svc", new byte[0], now + 100, now);
        NodeId target = last();
        core.memberDown(target.equals(a.id()) ? b.id() : a.id());
        assertThat(outcomes).isEmpty();
        core.memberDown(target);
        assertThat(failure(1)).isInstanceOf(IridiumException.OutcomeUnknown.class);
        assertThat(core.onReply(target, 1, new byte[0])).isFalse();
    }

    @Test
    void request_deadlinePasses_timesOutAndAbandonsTheAttempt() {
        core.submit(1, "svc", new byte[0], now + 100, now);
        NodeId target = last();
        core.expire(1);
        assertThat(failure(1)).isInstanceOf(IridiumException.TimedOut.class);
        assertThat(core.outstanding(target)).isZero();
        core.memberDown(target);
        assertThat(outcomes).hasSize(1);
    }

    @Test
    void request_localServiceOverloaded_triesRemoteMember() {
        servers = List.of(local, a);
        localAdmits = false;
        core.submit(1, "svc", new byte[0], now + 100, now);
        core.submit(2, "svc", new byte[0], now + 100, now);
        assertThat(ranLocally).isNotEmpty();
        assertThat(sent).contains(a);
        assertThat(outcomes).isEmpty();
        assertThat(core.outstanding(self)).isZero();
    }

    @Test
    void request_localServiceReplies_completes() {
        servers = List.of(local);
        core.submit(1, "svc", new byte[0], now + 100, now);
        assertThat(ranLocally).containsExactly(1L);
        assertThat(core.onReply(self, 1, new byte[] {7})).isTrue();
        assertThat(outcomes.get(1L)).isInstanceOf(RequestCore.Outcome.Replied.class);
        assertThat(core.outstanding(self)).isZero();
    }

    @Test
    void failAll_completesEveryPendingRequestOnce() {
        core.submit(1, "svc", new byte[0], now + 100, now);
        core.submit(2, "svc", new byte[0], now + 100, now);
        core.failAll(new IridiumException.Closed("closing"));
        assertThat(outcomes).hasSize(2);
        assertThat(failure(2)).isInstanceOf(IridiumException.Closed.class);
        core.tick(now + 1_000);
        assertThat(outcomes).hasSize(2);
    }
}
