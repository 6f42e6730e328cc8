package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Endpoint;
import io.iridium.discovery.Discovery.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The discovery core in virtual time, with a fake membership layer. */
class DiscoveryTest {

    @RegisterExtension
    final SeedReporter seeds = new SeedReporter();

    static final Endpoint SELF = new Endpoint("10.0.0.1", 7946);
    static final Endpoint A = new Endpoint("10.0.0.2", 7946);
    static final Endpoint B = new Endpoint("10.0.0.3", 7946);

    FakeEnvironment env;
    FakeJoiner joiner;
    Discovery discovery;

    @BeforeEach
    void setUp() {
        build(DiscoveryConfig.defaults());
    }

    void build(DiscoveryConfig config) {
        env = new FakeEnvironment(seeds.seed, 1_000_000);
        joiner = new FakeJoiner(env);
        discovery = new Discovery(config, env, SELF, joiner);
    }

    /** Ticks every {@code step} ms for {@code millis} ms of virtual time, calling {@code each} before each tick. */
    void runFor(long millis, long step, Consumer<Long> each) {
        long end = env.nowMillis() + millis;
        while (env.nowMillis() < end) {
            each.accept(env.nowMillis());
            discovery.tick();
            env.advance(step);
        }
    }

    void runFor(long millis) {
        runFor(millis, 100, now -> {});
    }

    static List<Long> gaps(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Test
    void tick_newSeed_joinedAtOnce() {
        discovery.addCandidates(Source.SEED, List.of(A));
        discovery.tick();
        assertThat(joiner.attempts).containsExactly(new FakeJoiner.Attempt(env.nowMillis(), A));
    }

    @Test
    void addCandidates_selfAndPortZero_neverJoined() {
        discovery.addCandidates(Source.SEED, List.of(SELF, new Endpoint("10.0.0.9", 0)));
        runFor(10_000);
        assertThat(discovery.candidates()).isEmpty();
        assertThat(joiner.attempts).isEmpty();
    }

    @Test
    void tick_knownLiveCandidate_neverJoined() {
        joiner.live.add(A);
        discovery.addCandidates(Source.SEED, List.of(A));
        runFor(60_000);
        assertThat(joiner.attempts).isEmpty();
    }

    @Test
    void tick_unreachableCandidate_backsOffExponentiallyWithJitterUpTo30Seconds() {
        joiner.otherLiveMembers = 1;
        discovery.addCandidates(Source.DNS, List.of(A));
        runFor(10 * 60_000, 1, now -> {});

        List<Long> gaps = gaps(joiner.timesOf(A));
        assertThat(gaps).hasSizeGreaterThan(20);
        for (int k = 1; k <= gaps.size(); k++) {
            long base = Math.min(30_000, 200L << Math.min(k - 1, 20));
            assertThat(gaps.get(k - 1)).as("gap %d", k).isBetween((base + 1) / 2, base);
        }
    }

    @Test
    void seed_unreachableForAnHour_retriedEvery30SecondsAtMostAndJoinedOnceUp() {
        joiner.otherLiveMembers = 1;
        discovery.addCandidates(Source.SEED, List.of(A));
        runFor(3_600_000);

        List<Long> times = joiner.timesOf(A);
        assertThat(times).hasSizeBetween(120, 260);
        assertThat(gaps(times)).allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(30_100));
        assertThat(times.get(times.size() - 1)).isGreaterThan(env.nowMillis() - 30_200);

        joiner.reachable.add(A);
        runFor(31_000);
        assertThat(joiner.live).contains(A);
        long attempts = joiner.countOf(A);
        runFor(10 * 60_000);
        assertThat(joiner.countOf(A)).as("no attempts at a live member").isEqualTo(attempts);
    }

    @Test
    void liveSeed_lostToPartition_rejoinedWithinSecondsWhenAlone() {
        joiner.reachable.add(A);
        discovery.addCandidates(Source.SEED, List.of(A));
        runFor(60_000);
        assertThat(joiner.countOf(A)).isEqualTo(1);

        // Partition: A is declared dead and unreachable; this node is alone.
        joiner.live.remove(A);
        joiner.reachable.remove(A);
        long partitionedAt = env.nowMillis();
        runFor(5_000);
        List<Long> during = joiner.timesOf(A).stream().filter(t -> t >= partitionedAt).toList();
        assertThat(during).isNotEmpty();
        assertThat(during.get(0)).isLessThanOrEqualTo(partitionedAt + 1_100);
        assertThat(gaps(during)).allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(1_000));

        // Heal: the next attempt gets through.
        joiner.reachable.add(A);
        long healedAt = env.nowMillis();
        runFor(2_000);
        assertThat(joiner.live).contains(A);
        assertThat(joiner.timesOf(A).get(joiner.timesOf(A).size() - 1)).isLessThanOrEqualTo(healedAt + 1_100);
    }

    @Test
    void liveSeed_lostWhileOthersRemain_retriedWithinTheBackoffBound() {
        joiner.otherLiveMembers = 2;
        joiner.reachable.add(A);
        discovery.addCandidates(Source.SEED, List.of(A));
        runFor(60_000);
        joiner.live.remove(A);
        joiner.reachable.remove(A);
        long lostAt = env.nowMillis();
        runFor(120_000);
        List<Long> after = joiner.timesOf(A).stream().filter(t -> t >= lostAt).toList();
        assertThat(after.get(0)).isLessThanOrEqualTo(lostAt + 1_100);
        assertThat(gaps(after)).allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(30_100));
        assertThat(after.size()).isGreaterThan(5);
    }

    @Test
    void multicastCandidate_notReannounced_expiresAfterTtl() {
        discovery.addCandidates(Source.MULTICAST, List.of(A));
        runFor(29_000);
        assertThat(discovery.candidates()).containsExactly(A);
        runFor(2_000);
        assertThat(discovery.candidates()).isEmpty();
        assertThat(discovery.stats().expired()).isEqualTo(1);
        long attempts = joiner.countOf(A);
        runFor(60_000);
        assertThat(joiner.countOf(A)).isEqualTo(attempts);
    }

    @Test
    void loopbackCandidate_notReannounced_expiresAfterTtl() {
        discovery.addCandidates(Source.LOOPBACK, List.of(A));
        runFor(31_000);
        assertThat(discovery.candidates()).isEmpty();
    }

    @Test
    void multicastCandidate_reannounced_staysAndKeepsItsBackoff() {
        joiner.otherLiveMembers = 1;
        runFor(120_000, 100, now -> {
            if (now % 5_000 == 0) {
                discovery.addCandidates(Source.MULTICAST, List.of(A));
            }
        });
        assertThat(discovery.candidates()).containsExactly(A);
        // With the back-off kept: about 9 attempts in the first 25-51 s, then one per 15-30 s.
        // Had each announcement reset it, there would be about 5 per announcement (120).
        assertThat(joiner.countOf(A)).isBetween(9L, 20L);
    }

    @Test
    void candidateAlsoNamedBySeed_neverExpires() {
        discovery.addCandidates(Source.MULTICAST, List.of(A));
        discovery.addCandidates(Source.SEED, List.of(A));
        runFor(10 * 60_000);
        assertThat(discovery.candidates()).containsExactly(A);
    }

    @Test
    void alone_devRange_retriedAtLeastEverySecondAndFoundWithinSeconds() {
        Endpoint self = new Endpoint(LoopbackRange.HOST, LoopbackRange.FIRST_PORT);
        env = new FakeEnvironment(seeds.seed, 0);
        joiner = new FakeJoiner(env);
        discovery = new Discovery(DiscoveryConfig.defaults(), env, self, joiner);
        List<Endpoint> range = LoopbackRange.candidates(self);

        runFor(60_000, 100, now -> {
            if (now % 10_000 == 0) {
                discovery.addCandidates(Source.LOOPBACK, range);
            }
        });
        for (Endpoint e : range) {
            assertThat(gaps(joiner.timesOf(e))).allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(1_000));
        }

        // Another dev node starts on the range's third port.
        Endpoint other = range.get(1);
        joiner.reachable.add(other);
        long startedAt = env.nowMillis();
        runFor(2_000, 100, now -> {});
        assertThat(joiner.live).contains(other);
        assertThat(joiner.timesOf(other).get(joiner.timesOf(other).size() - 1)).isLessThanOrEqualTo(startedAt + 1_100);
    }

    @Test
    void becomingAlone_pullsPendingAttemptsForward() {
        joiner.otherLiveMembers = 1;
        discovery.addCandidates(Source.SEED, List.of(A));
        runFor(5 * 60_000);
        joiner.otherLiveMembers = 0;
        long aloneAt = env.nowMillis();
        runFor(1_200);
        assertThat(joiner.timesOf(A)).anySatisfy(t -> assertThat(t).isBetween(aloneAt, aloneAt + 1_100));
    }

    @Test
    void addCandidates_overTheCap_evictsTheStalestButKeepsSeeds() {
        build(DiscoveryConfig.builder().maxCandidates(100).build());
        Endpoint seed = new Endpoint("192.0.2.1", 7946);
        discovery.addCandidates(Source.SEED, List.of(seed));
        List<Endpoint> added = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Endpoint e = new Endpoint("10.1." + (i / 256) + "." + (i % 256), 7946);
            added.add(e);
            discovery.addCandidates(i % 2 == 0 ? Source.DNS : Source.MULTICAST, List.of(e));
            env.advance(1);
            if (i % 100 == 0) {
                discovery.tick();
            }
        }
        assertThat(discovery.stats().candidates()).isEqualTo(100);
        assertThat(discovery.candidates()).contains(seed);
        assertThat(discovery.candidates()).containsAll(added.subList(added.size() - 99, added.size()));
        assertThat(discovery.stats().evicted()).isEqualTo(10_001 - 100);
    }

    @Test
    void reannouncing_movesACandidateAwayFromEviction() {
        build(DiscoveryConfig.builder().maxCandidates(2).build());
        discovery.addCandidates(Source.DNS, List.of(A));
        env.advance(1);
        discovery.addCandidates(Source.DNS, List.of(B));
        env.advance(1);
        discovery.addCandidates(Source.DNS, List.of(A));
        env.advance(1);
        Endpoint c = new Endpoint("10.0.0.4", 7946);
        discovery.addCandidates(Source.DNS, List.of(c));
        assertThat(discovery.candidates()).containsExactly(A, c);
    }

    @Test
    void tick_manyDue_joinsAtMostMaxJoinsPerTick() {
        List<Endpoint> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(new Endpoint("10.2.0." + i, 7946));
        }
        discovery.addCandidates(Source.DNS, many);
        List<Integer> perTick = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int before = joiner.attempts.size();
            discovery.tick();
            perTick.add(joiner.attempts.size() - before);
            env.advance(1);
        }
        assertThat(perTick).containsExactly(32, 32, 32, 4);
        assertThat(joiner.attempts.stream().map(FakeJoiner.Attempt::address).distinct()).hasSize(100);
    }

    @Test
    void onBeacon_ownBeacon_ignored() {
        discovery.onBeacon(discovery.beacon());
        runFor(1_000);
        assertThat(discovery.candidates()).isEmpty();
        assertThat(discovery.stats().ownBeaconsIgnored()).isEqualTo(1);
    }

    @Test
    void onBeacon_otherNode_joined() {
        discovery.onBeacon(new Beacon(77, A));
        discovery.tick();
        assertThat(joiner.timesOf(A)).containsExactly(env.nowMillis());
    }

    @Test
    void onBeacon_newInstanceAtKnownEndpoint_resetsBackoff() {
        joiner.otherLiveMembers = 1;
        runFor(120_000, 100, now -> {
            if (now % 5_000 == 0) {
                discovery.onBeacon(new Beacon(1, A));
            }
        });
        long before = joiner.countOf(A);
        discovery.onBeacon(new Beacon(2, A));
        discovery.tick();
        assertThat(joiner.countOf(A)).isEqualTo(before + 1);
        assertThat(joiner.timesOf(A).get(joiner.timesOf(A).size() - 1)).isEqualTo(env.nowMillis());
    }

    @Test
    void beacon_carriesSelfAndTheInstanceId() {
        assertThat(discovery.beacon()).isEqualTo(new Beacon(discovery.instanceId(), SELF));
    }

    @Test
    void sameSeed_sameInputs_sameJoins() {
        List<List<FakeJoiner.Attempt>> traces = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            setUp();
            joiner.otherLiveMembers = 1;
            discovery.addCandidates(Source.SEED, List.of(A, B));
            runFor(5 * 60_000, 10, now -> {});
            traces.add(List.copyOf(joiner.attempts));
        }
        assertThat(traces.get(0)).isEqualTo(traces.get(1)).hasSizeGreaterThan(20);
    }

    @Test
    void config_inconsistentDurations_rejected() {
        assertThatThrownBy(() -> DiscoveryConfig.builder().initialBackoff(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> DiscoveryConfig.builder().maxBackoff(Duration.ofMillis(100)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> DiscoveryConfig.builder().maxCandidates(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCandidates");
    }
}
