package io.iridium.membership;

import static io.iridium.membership.SwimHarness.address;
import static io.iridium.membership.SwimHarness.id;
import static io.iridium.membership.SwimHarness.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.membership.SwimMessage.Ack;
import io.iridium.membership.SwimMessage.Nack;
import io.iridium.membership.SwimMessage.Ping;
import io.iridium.membership.SwimMessage.PingReq;
import io.iridium.membership.SwimMessage.PushPull;
import io.iridium.membership.SwimMessage.Update;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules of one SWIM node, driven by hand: precedence, refutation, suspicion, health, events. */
class SwimTest {

    @Nested
    class Precedence {

        @Test
        void alive_higherIncarnation_overridesSuspect() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.SUSPECT, 0));
            h.gossip(1, member(1, MemberState.ALIVE, 1));

            assertThat(h.memberView(1).state()).isEqualTo(MemberState.ALIVE);
            assertThat(h.memberView(1).incarnation()).isEqualTo(1);
        }

        @Test
        void alive_sameIncarnation_doesNotOverrideSuspect() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.SUSPECT, 0));
            h.gossip(3, member(1, MemberState.ALIVE, 0));

            assertThat(h.memberView(1).state()).isEqualTo(MemberState.SUSPECT);
        }

        @Test
        void suspect_equalIncarnation_overridesAlive_lowerDoesNot() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(1, member(1, MemberState.ALIVE, 2));
            h.gossip(2, member(1, MemberState.SUSPECT, 1));
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.ALIVE);

            h.gossip(2, member(1, MemberState.SUSPECT, 2));
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.SUSPECT);
        }

        @Test
        void dead_equalOrHigherIncarnation_overridesLive_lowerDoesNot() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(1, member(1, MemberState.ALIVE, 3));
            h.gossip(2, member(1, MemberState.DEAD, 2));
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.ALIVE);

            h.gossip(2, member(1, MemberState.DEAD, 3));
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.DEAD);
        }

        @Test
        void dead_isRevivedOnlyByHigherIncarnationAlive_neverBySuspect() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.DEAD, 0));
            h.gossip(3, member(1, MemberState.ALIVE, 0));
            h.gossip(3, member(1, MemberState.SUSPECT, 1));
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.DEAD);

            h.gossip(1, member(1, MemberState.ALIVE, 1));
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.ALIVE);
            assertThat(h.eventTypesAbout(1)).containsExactly(MembershipEvent.Joined.class,
                    MembershipEvent.Failed.class, MembershipEvent.Alive.class);
        }

        @Test
        void left_isFinalForThatIdentity() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(1, member(1, MemberState.LEFT, 0));
            h.gossip(1, member(1, MemberState.ALIVE, 7));
            h.gossip(2, member(1, MemberState.SUSPECT, 9));
            h.gossip(2, member(1, MemberState.DEAD, 9));

            assertThat(h.memberView(1).state()).isEqualTo(MemberState.LEFT);
            assertThat(h.eventTypesAbout(1)).containsExactly(MembershipEvent.Joined.class, MembershipEvent.Left.class);
        }

        @Test
        void left_overridesDeadSilently() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.DEAD, 0));
            h.gossip(1, member(1, MemberState.LEFT, 0));

            assertThat(h.memberView(1).state()).isEqualTo(MemberState.LEFT);
            assertThat(h.eventTypesAbout(1)).containsExactly(MembershipEvent.Joined.class, MembershipEvent.Failed.class);
        }

        @Test
        void unknownMemberFirstHeardDead_isRememberedSilently_andStaleAliveCannotRevive() {
            SwimHarness h = new SwimHarness();
            h.addAlive(2);
            h.gossip(2, member(5, MemberState.DEAD, 4));
            h.gossip(2, member(5, MemberState.ALIVE, 4));

            assertThat(h.memberView(5).state()).isEqualTo(MemberState.DEAD);
            assertThat(h.eventTypesAbout(5)).isEmpty();
            assertThat(h.swim.isKnownLive(address(5))).isFalse();
        }

        @Test
        void pushedState_deadCountsAsSuspect() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.swim.receive(address(2), new PushPull(id(2), address(2), true, 0, 1,
                    List.of(member(2, MemberState.ALIVE, 0), member(1, MemberState.DEAD, 0))));

            assertThat(h.memberView(1).state()).isEqualTo(MemberState.SUSPECT);
        }

        @Test
        void pushedState_introducesOnlyLiveMembers_soForgottenVerdictsStayForgotten() {
            SwimHarness h = new SwimHarness();
            h.addAlive(2);
            h.swim.receive(address(2), new PushPull(id(2), address(2), true, 0, 1, List.of(
                    member(5, MemberState.DEAD, 0), member(6, MemberState.SUSPECT, 0),
                    member(7, MemberState.LEFT, 0), member(8, MemberState.ALIVE, 0))));

            assertThat(h.memberView(5)).isNull();
            assertThat(h.memberView(6)).isNull();
            assertThat(h.memberView(7)).isNull();
            assertThat(h.memberView(8).state()).isEqualTo(MemberState.ALIVE);
        }

        @Test
        void newIdentityAtAddressOfDeadMember_joinsAlongside() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.DEAD, 0));
            Member reborn = new Member(id(99), "n1", address(1), 0, MemberState.ALIVE);
            h.gossip(2, new Update(reborn, reborn.id()));

            assertThat(h.memberView(1).state()).isEqualTo(MemberState.DEAD);
            assertThat(h.memberView(99).state()).isEqualTo(MemberState.ALIVE);
            assertThat(h.swim.isKnownLive(address(1))).isTrue();
        }
    }

    @Nested
    class Refutation {

        @Test
        void suspectAboutSelf_raisesIncarnationAndGossipsAlive() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(1, new Update(h.self.with(MemberState.SUSPECT, 0), id(1)));

            assertThat(h.swim.self().incarnation()).isEqualTo(1);
            assertThat(h.swim.self().state()).isEqualTo(MemberState.ALIVE);
            assertThat(h.swim.localHealth()).isEqualTo(1);
            h.advance(h.config.gossipIntervalMillis() * 2);
            assertThat(h.sentUpdates()).anyMatch(u -> u.member().id().equals(h.self.id())
                    && u.member().state() == MemberState.ALIVE && u.member().incarnation() == 1);
        }

        @Test
        void deadAboutSelf_isRefutedToo_staleAccusationIsNot() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(1, new Update(h.self.with(MemberState.DEAD, 0), id(1)));
            assertThat(h.swim.self().incarnation()).isEqualTo(1);

            h.gossip(2, new Update(h.self.with(MemberState.SUSPECT, 0), id(2)));
            assertThat(h.swim.self().incarnation()).isEqualTo(1);
        }

        @Test
        void leavingNode_doesNotRefute() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.swim.leave();
            h.gossip(1, new Update(h.self.with(MemberState.DEAD, 0), id(1)));

            assertThat(h.swim.self().state()).isEqualTo(MemberState.LEFT);
            assertThat(h.swim.self().incarnation()).isZero();
        }

        @Test
        void leave_announcesLeftAtOnce_andStopsProbing() {
            SwimHarness h = new SwimHarness();
            h.addAlive(8);
            h.sent.clear();
            h.swim.leave();

            assertThat(h.sentUpdates()).hasSizeGreaterThanOrEqualTo(h.config.gossipFanout())
                    .allMatch(u -> u.member().state() == MemberState.LEFT && u.member().id().equals(h.self.id()));
            h.sent.clear();
            h.advance(5_000);
            assertThat(h.sentOf(Ping.class)).isEmpty();
        }

        @Test
        void messageFromIdentityHeldDead_isToldSoItCanRefute() {
            SwimHarness h = new SwimHarness();
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.DEAD, 0));
            h.sent.clear();
            h.gossip(1, member(3, MemberState.ALIVE, 0));

            assertThat(h.sent).anySatisfy(s -> {
                assertThat(s.to()).isEqualTo(address(1));
                assertThat(s.message()).isInstanceOf(SwimMessage.Rumor.class);
            });
            assertThat(h.sentUpdates()).anyMatch(u -> u.member().id().equals(id(1)) && u.member().state() == MemberState.SUSPECT);
        }
    }

    @Nested
    class SuspicionTimeout {

        @Test
        void unconfirmedSuspicion_lastsTheMaximum() {
            SwimHarness h = new SwimHarness();
            h.addAlive(9); // n = 10 → log10 = 1
            long period = h.config.protocolPeriodMillis();
            long max = (long) (h.config.suspicionMaxMultiplier() * period);
            h.gossip(2, member(1, MemberState.SUSPECT, 0));
            long suspectedAt = h.now();

            h.advance(max - 2 * h.config.tickMillis());
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.SUSPECT);
            h.advance(3 * h.config.tickMillis());
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.DEAD);
            assertThat(h.now() - suspectedAt).isBetween(max, max + 2 * h.config.tickMillis());
        }

        @Test
        void independentConfirmations_shrinkTheTimeoutToTheMinimum() {
            SwimHarness h = new SwimHarness();
            h.addAlive(9);
            long period = h.config.protocolPeriodMillis();
            long min = (long) (h.config.suspicionMinMultiplier() * period);
            h.gossip(2, member(1, MemberState.SUSPECT, 0));
            h.gossip(3, member(1, MemberState.SUSPECT, 0));
            h.gossip(3, member(1, MemberState.SUSPECT, 0)); // the same suspecter counts once
            h.gossip(4, member(1, MemberState.SUSPECT, 0));

            h.advance(min - 2 * h.config.tickMillis());
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.SUSPECT);
            h.advance(3 * h.config.tickMillis());
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.DEAD);
        }

        @Test
        void timeout_shrinksLogarithmically() {
            Suspicion suspicion = new Suspicion(id(1), 0, 0, 3, 4_000, 24_000);
            List<Long> timeouts = new ArrayList<>();
            timeouts.add(suspicion.timeout());
            for (int i = 2; i <= 5; i++) {
                suspicion.confirm(id(i));
                timeouts.add(suspicion.timeout());
            }
            // max - (max-min)·log(c+1)/log(k+1): 24000, 14000, 8151, 4000, then no further change.
            assertThat(timeouts).containsExactly(24_000L, 14_000L, 8_150L, 4_000L, 4_000L);
            assertThat(suspicion.confirm(id(1))).isFalse();
        }

        @Test
        void refutationDuringSuspicion_cancelsTheTimer() {
            SwimHarness h = new SwimHarness();
            h.addAlive(9);
            h.gossip(2, member(1, MemberState.SUSPECT, 0));
            h.gossip(1, member(1, MemberState.ALIVE, 1));
            h.advance(60_000);

            assertThat(h.memberView(1).state()).isIn(MemberState.ALIVE, MemberState.SUSPECT);
            assertThat(h.eventTypesAbout(1)).doesNotContain(MembershipEvent.Failed.class);
        }
    }

    @Nested
    class Probing {

        @Test
        void failedProbeWithoutHelpers_raisesHealth_successLowersIt() {
            SwimHarness h = new SwimHarness();
            h.autoRespond = false;
            h.addAlive(1);
            h.advance(h.config.protocolPeriodMillis());
            assertThat(h.sentOf(Ping.class)).hasSize(1);
            h.advance(h.config.protocolPeriodMillis());

            assertThat(h.swim.localHealth()).isEqualTo(1);
            assertThat(h.memberView(1).state()).isEqualTo(MemberState.SUSPECT);

            // The failure ended one period and started the next probe in the same tick: answer it.
            List<Ping> pings = h.sentOf(Ping.class);
            assertThat(pings).hasSize(2);
            h.swim.receive(address(1), new Ack(id(1), address(1), pings.get(1).sequence(), List.of()));
            assertThat(h.swim.localHealth()).isZero();
        }

        @Test
        void probeInterval_scalesWithLocalHealth_andEachAckLowersIt() {
            SwimHarness h = new SwimHarness();
            h.addAlive(1);
            for (int i = 0; i < 3; i++) {
                h.gossip(1, new Update(h.swim.self().with(MemberState.SUSPECT, h.swim.self().incarnation()), id(1)));
            }
            assertThat(h.swim.localHealth()).isEqualTo(3);
            h.advance(12 * h.config.protocolPeriodMillis());

            List<Long> pingTimes = h.sent.stream().filter(s -> s.message() instanceof Ping).map(SwimHarness.Sent::at).toList();
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < Math.min(5, pingTimes.size()); i++) {
                gaps.add(pingTimes.get(i) - pingTimes.get(i - 1));
            }
            long period = h.config.protocolPeriodMillis();
            assertThat(gaps).containsExactly(4 * period, 3 * period, 2 * period, period);
            assertThat(h.swim.localHealth()).isZero();
        }

        @Test
        void missedDirectAck_sendsKIndirectProbes_andMissingNacksCountAgainstUs() {
            SwimHarness h = new SwimHarness();
            h.autoRespond = false;
            h.addAlive(6);
            Ping ping = h.advanceToNextPing();
            h.advance(h.config.probeTimeoutMillis());

            List<PingReq> requests = h.sentOf(PingReq.class);
            assertThat(requests).hasSize(h.config.indirectProbes())
                    .allMatch(r -> r.targetId().equals(ping.targetId()) && r.sequence() == ping.sequence());
            h.swim.receive(address(2), new Nack(id(2), address(2), ping.sequence(), List.of()));
            h.advance(h.config.protocolPeriodMillis() - h.config.probeTimeoutMillis());

            assertThat(h.swim.localHealth()).isEqualTo(h.config.indirectProbes() - 1);
            assertThat(h.swim.members()).filteredOn(m -> m.state() == MemberState.SUSPECT)
                    .extracting(Member::id).containsExactly(ping.targetId());
        }

        @Test
        void relayedAck_beforeTheDeadline_keepsTheTargetAlive() {
            SwimHarness h = new SwimHarness();
            h.autoRespond = false;
            h.addAlive(6);
            Ping ping = h.advanceToNextPing();
            h.advance(h.config.probeTimeoutMillis());
            assertThat(h.sentOf(PingReq.class)).isNotEmpty();
            h.swim.receive(address(3), new Ack(id(3), address(3), ping.sequence(), List.of()));
            h.advance(h.config.protocolPeriodMillis() - h.config.probeTimeoutMillis() - h.config.tickMillis());

            assertThat(h.swim.members()).allMatch(m -> m.state() == MemberState.ALIVE);
            assertThat(h.swim.localHealth()).isZero();
        }

        @Test
        void pingForAnotherIdentity_isIgnored_pingForUs_isAcked() {
            SwimHarness h = new SwimHarness();
            h.addAlive(1);
            h.sent.clear();
            h.swim.receive(address(1), new Ping(id(1), address(1), 5, id(77), List.of()));
            assertThat(h.sent).isEmpty();

            h.swim.receive(address(1), new Ping(id(1), address(1), 6, h.self.id(), List.of()));
            assertThat(h.sentOf(Ack.class)).singleElement().satisfies(a -> assertThat(a.sequence()).isEqualTo(6));
            assertThat(h.sent.get(0).to()).isEqualTo(address(1));
        }

        @Test
        void pingReq_relaysThePing_forwardsTheAck_orNacks() {
            SwimHarness h = new SwimHarness();
            h.swim.receive(address(1), new PingReq(id(1), address(1), 40, id(2), address(2), List.of()));
            Ping relayed = h.sentOf(Ping.class).get(0);
            assertThat(relayed.targetId()).isEqualTo(id(2));
            assertThat(h.sent.get(0).to()).isEqualTo(address(2));

            h.swim.receive(address(2), new Ack(id(2), address(2), relayed.sequence(), List.of()));
            assertThat(h.sentOf(Ack.class)).singleElement().satisfies(a -> assertThat(a.sequence()).isEqualTo(40));

            h.sent.clear();
            h.silent.add(3);
            h.swim.receive(address(1), new PingReq(id(1), address(1), 41, id(3), address(3), List.of()));
            h.advance(h.config.probeTimeoutMillis());
            assertThat(h.sentOf(Nack.class)).singleElement().satisfies(n -> assertThat(n.sequence()).isEqualTo(41));
        }

        @Test
        void datagrams_stayWithinMaxDatagramBytes_evenWithMuchGossipPending() {
            SwimHarness h = new SwimHarness();
            h.addAlive(400);
            h.advance(10_000);
            for (SwimHarness.Sent s : h.sent) {
                if (!(s.message() instanceof PushPull)) {
                    assertThat(SwimCodec.encode(s.message()).length).isLessThanOrEqualTo(h.config.maxDatagramBytes());
                }
            }
        }
    }

    @Nested
    class StateExchange {

        @Test
        void aProbeFromAStranger_startsAPushPull_onceAPeriod_andItsAnswerMakesItKnown() {
            SwimHarness h = new SwimHarness();
            h.addAlive(2);
            h.sent.clear();
            // member 4's join gossip never reached this node, yet member 4 probes it
            h.swim.receive(address(4), new Ping(id(4), address(4), 9, h.self.id(), List.of()));
            assertThat(h.sentOf(Ack.class)).singleElement().satisfies(a -> assertThat(a.sequence()).isEqualTo(9));
            assertThat(h.sent).filteredOn(s -> s.message() instanceof PushPull)
                    .singleElement().satisfies(s -> {
                        assertThat(s.to()).isEqualTo(address(4));
                        assertThat(((PushPull) s.message()).reply()).isFalse();
                    });
            // its next probe within the period starts no second exchange
            h.swim.receive(address(4), new Ping(id(4), address(4), 10, h.self.id(), List.of()));
            assertThat(h.sentOf(PushPull.class)).hasSize(1);

            h.swim.receive(address(4), new PushPull(id(4), address(4), true, 0, 1,
                    List.of(member(4, MemberState.ALIVE, 0), member(1, MemberState.ALIVE, 0))));
            assertThat(h.memberView(4)).isNotNull().satisfies(m -> assertThat(m.state()).isEqualTo(MemberState.ALIVE));
            // a known member's probes start nothing
            h.sent.clear();
            h.advance(h.config.protocolPeriodMillis() * 2);
            h.sent.clear();
            h.swim.receive(address(4), new Ping(id(4), address(4), 11, h.self.id(), List.of()));
            assertThat(h.sentOf(PushPull.class)).isEmpty();
        }

        @Test
        void join_pushesFullState_andTheReceiverAnswersWithItsOwn() {
            SwimHarness h = new SwimHarness();
            h.swim.join(address(1));
            PushPull push = h.sentOf(PushPull.class).get(0);
            assertThat(push.reply()).isFalse();
            assertThat(push.members()).containsExactly(h.self);

            h.sent.clear();
            h.swim.receive(address(1), new PushPull(id(1), address(1), false, 0, 1, List.of(member(1, MemberState.ALIVE, 0))));
            assertThat(h.sentOf(PushPull.class)).singleElement().satisfies(p -> assertThat(p.reply()).isTrue());
            assertThat(h.eventTypesAbout(1)).containsExactly(MembershipEvent.Joined.class);
        }

        @Test
        void largeState_isSplitIntoDatagramsWithinTheLimit() {
            SwimConfig config = SwimConfig.builder().maxPushPullDatagramBytes(8_000).build();
            SwimHarness h = new SwimHarness(config, 7);
            h.addAlive(1_000);
            h.sent.clear();
            h.swim.join(address(1_001));

            List<PushPull> parts = h.sentOf(PushPull.class);
            assertThat(parts.size()).isGreaterThan(1);
            assertThat(parts).allMatch(p -> p.parts() == parts.size());
            assertThat(parts.stream().mapToInt(p -> p.members().size()).sum()).isEqualTo(1_001);
            for (PushPull part : parts) {
                assertThat(SwimCodec.encode(part).length).isLessThanOrEqualTo(8_000);
            }
        }

        @Test
        void deadMembers_areForgottenAfterTheConfiguredTime() {
            SwimConfig config = SwimConfig.builder().forgetAfterMillis(30_000).build();
            SwimHarness h = new SwimHarness(config, 3);
            h.addAlive(3);
            h.gossip(2, member(1, MemberState.DEAD, 0));
            h.advance(20_000);
            assertThat(h.memberView(1)).isNotNull();
            h.advance(12_000);
            assertThat(h.memberView(1)).isNull();
            assertThat(h.swim.members()).hasSize(3);
        }
    }

    @Nested
    class Events {

        @Test
        void eachTransition_reportedExactlyOnce_despiteRepeatedGossip() {
            SwimHarness h = new SwimHarness();
            h.addAlive(9);
            for (int i = 0; i < 3; i++) {
                h.gossip(2, member(1, MemberState.ALIVE, 0));
                h.gossip(2 + i, member(1, MemberState.SUSPECT, 0));
            }
            for (int i = 0; i < 3; i++) {
                h.gossip(1, member(1, MemberState.ALIVE, 1));
                h.gossip(3, member(1, MemberState.SUSPECT, 1));
                h.gossip(4, member(1, MemberState.DEAD, 1));
            }

            assertThat(h.eventTypesAbout(1)).containsExactly(MembershipEvent.Joined.class,
                    MembershipEvent.Suspected.class, MembershipEvent.Alive.class,
                    MembershipEvent.Suspected.class, MembershipEvent.Failed.class);
        }

        @Test
        void suspectAboutUnknownMember_isIgnored_introducingNobody() {
            SwimHarness h = new SwimHarness();
            h.gossip(2, member(1, MemberState.SUSPECT, 3));

            // as memberlist: only an ALIVE update introduces a member, so stale gossip about a
            // dying or forgotten node cannot make it join and fail again everywhere
            assertThat(h.eventTypesAbout(1)).isEmpty();
            assertThat(h.swim.isKnownLive(address(1))).isFalse();
        }
    }
}
