package io.iridium.consensus.raft;

import io.iridium.NodeId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.iridium.consensus.raft.RaftNetwork.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raft's five guarantees (the paper, Figure 3), each checked after every step of randomized runs
 * over a faulty {@link RaftNetwork}: random partitions, crashes that lose unsynced writes,
 * restarts, proposals and ticks. The seeds are fixed so every run replays.
 */
class RaftPaperTest {

    /** 20 seeds by default; a tenth of {@code -Diridium.raft.seeds} when that asks for more. */
    private static final int SEEDS = Math.max(20, Integer.getInteger("iridium.raft.seeds", 200) / 10);

    /** Runs a chaotic scenario and calls {@code check} after every step. */
    private static void chaos(long seed, java.util.function.Consumer<RaftNetwork> check) {
        SplittableRandom random = new SplittableRandom(seed);
        RaftNetwork net = new RaftNetwork(seed).start(5);
        Set<Integer> crashed = new java.util.HashSet<>();
        for (int step = 0; step < 400; step++) {
            int action = random.nextInt(100);
            int n = 1 + random.nextInt(5);
            if (action < 5) {
                net.heal();
                if (random.nextBoolean()) {
                    net.partition(new java.util.HashSet<>(List.of(n, 1 + random.nextInt(5))));
                }
            } else if (action < 8 && crashed.size() < 2 && !crashed.contains(n)) {
                net.crash(n);
                crashed.add(n);
            } else if (action < 12 && crashed.contains(n)) {
                net.restart(n);
                crashed.remove(n);
            } else if (action < 40) {
                NodeId leader = net.leader();
                if (leader != null) {
                    net.propose((int) leader.low(), "v" + step);
                }
            } else {
                for (int i = 1; i <= 5; i++) {
                    if (!crashed.contains(i)) {
                        net.tick(i, 1);
                    }
                }
            }
            net.deliverRound();
            check.accept(net);
        }
    }

    @Test
    void electionSafety_atMostOneLeaderCanBeElectedInAGivenTerm() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Map<Long, NodeId> leaders = new HashMap<>();
            long s = seed;
            chaos(seed, net -> net.nodes.values().forEach(node -> {
                Status st = node.status();
                if (st.role() == Role.LEADER) {
                    NodeId previous = leaders.putIfAbsent(st.term(), st.id());
                    assertThat(previous == null || previous.equals(st.id()))
                            .as("seed %d: two leaders in term %d", s, st.term()).isTrue();
                }
            }));
            assertThat(leaders).as("seed %d elected nobody", seed).isNotEmpty();
        }
    }

    @Test
    void leaderAppendOnly_aLeaderNeverOverwritesOrDeletesEntriesInItsLog() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Map<NodeId, long[]> seen = new HashMap<>();
            long s = seed;
            chaos(seed, net -> net.nodes.values().forEach(node -> {
                Status st = node.status();
                if (st.role() != Role.LEADER) {
                    seen.remove(st.id());
                    return;
                }
                long[] prev = seen.get(st.id());
                if (prev != null && prev[0] == st.term()) {
                    assertThat(st.lastIndex()).as("seed %d", s).isGreaterThanOrEqualTo(prev[1]);
                    node.entry(prev[1]).ifPresent(e -> assertThat(e.term()).as("seed %d", s).isEqualTo(prev[2]));
                }
                long last = st.lastIndex();
                seen.put(st.id(), new long[] {st.term(), last, node.entry(last).map(Entry::term).orElse(-1L)});
            }));
        }
    }

    @Test
    void logMatching_ifTwoLogsContainAnEntryWithTheSameIndexAndTerm_theLogsAreIdenticalUpToIt() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            long s = seed;
            chaos(seed, net -> {
                List<RaftNode> all = new ArrayList<>(net.nodes.values());
                for (int a = 0; a < all.size(); a++) {
                    for (int b = a + 1; b < all.size(); b++) {
                        assertLogsMatch(s, all.get(a), all.get(b));
                    }
                }
            });
        }
    }

    static void assertLogsMatch(long seed, RaftNode a, RaftNode b) {
        long lo = Math.max(a.status().firstIndex(), b.status().firstIndex());
        long hi = Math.min(a.status().lastIndex(), b.status().lastIndex());
        long matchAt = -1;
        for (long i = hi; i >= lo; i--) {
            if (a.entry(i).get().term() == b.entry(i).get().term()) {
                matchAt = i;
                break;
            }
        }
        for (long i = lo; i <= matchAt; i++) {
            assertThat(a.entry(i)).as("seed %d: %s and %s differ at %d below matching %d", seed, a.id(), b.id(), i, matchAt)
                    .isEqualTo(b.entry(i));
        }
    }

    @Test
    void leaderCompleteness_aCommittedEntryIsPresentInTheLogsOfAllHigherTermLeaders() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Map<Long, Entry> committed = new HashMap<>();
            Map<Long, Long> committedBy = new HashMap<>();   // a term no lower than the committing leader's
            long s = seed;
            chaos(seed, net -> {
                long maxTerm = net.nodes.values().stream().mapToLong(n -> n.status().term()).max().orElse(0);
                for (RaftNode node : net.nodes.values()) {
                    Status st = node.status();
                    for (long i = st.firstIndex(); i <= st.commit(); i++) {
                        if (committed.putIfAbsent(i, node.entry(i).get()) == null) {
                            committedBy.put(i, maxTerm);
                        }
                    }
                }
                for (RaftNode node : net.nodes.values()) {
                    Status st = node.status();
                    if (st.role() != Role.LEADER) {
                        continue;
                    }
                    for (Map.Entry<Long, Entry> c : committed.entrySet()) {
                        if (c.getKey() >= st.firstIndex() && committedBy.get(c.getKey()) < st.term()) {
                            assertThat(node.entry(c.getKey())).as("seed %d: leader %s lacks committed %s", s, st.id(), c.getValue())
                                    .contains(c.getValue());
                        }
                    }
                }
            });
        }
    }

    @Test
    void stateMachineSafety_noTwoServersApplyADifferentEntryForTheSameIndex() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            long s = seed;
            RaftNetwork[] last = new RaftNetwork[1];
            chaos(seed, net -> {
                last[0] = net;
                Map<Long, Entry> byIndex = new HashMap<>();
                net.applied.forEach((node, entries) -> entries.forEach(e -> {
                    Entry other = byIndex.putIfAbsent(e.index(), e);
                    assertThat(other == null || other.equals(e)).as("seed %d: index %d applied as %s and %s", s, e.index(), other, e)
                            .isTrue();
                }));
            });
            long appliedAnything = last[0].applied.values().stream().mapToLong(List::size).sum();
            assertThat(appliedAnything).as("seed %d applied nothing", seed).isPositive();
        }
    }

    @Test
    void figure8_aLeaderDoesNotCommitAnEntryFromAPreviousTermByCountingReplicas() {
        RaftNetwork net = new RaftNetwork(8).tune(b -> b.preVote(false).checkQuorum(false));
        net.start(5);
        net.elect(1);                                   // term 1, empty entry at index 1 committed
        net.drop(m -> m.from().equals(id(1)) && !m.to().equals(id(2)));
        net.propose(1, "from-term-1");                  // (a) index 2 reaches S1 and S2 only
        net.stabilize();
        net.heal();
        net.crash(1);
        net.drop(m -> m.from().equals(id(5)) && m instanceof RaftMessage.Append);
        net.elect(5);                                   // (b) S5 wins term 2 with S3, S4; its index 2 stays local
        assertThat(net.node(5).status().role()).isEqualTo(Role.LEADER);
        net.heal();
        net.crash(5);
        net.restart(1);
        // S1 gets its term-1 entry at index 2 to S2 and S3, but (as if it crashed half way through
        // the batch) not its own term-3 entry at index 3.
        net.drop(m -> m.from().equals(id(1)) && m instanceof RaftMessage.Append a && !a.to().equals(id(2)) && !a.to().equals(id(3)));
        net.rewrite(m -> m instanceof RaftMessage.Append a && a.from().equals(id(1))
                ? new RaftMessage.Append(a.from(), a.to(), a.term(), a.prevIndex(), a.prevTerm(),
                        a.entries().stream().filter(e -> e.index() <= 2).toList(), a.commit())
                : m);
        net.elect(1);
        if (net.node(1).status().role() != Role.LEADER) {
            net.elect(1);                               // first try may lose to the term S5 raised
        }
        assertThat(net.node(1).status().role()).isEqualTo(Role.LEADER);
        assertThat(net.node(3).entry(2).orElseThrow().term()).as("(c) index 2 of term 1 is now on S1, S2, S3").isEqualTo(1);
        assertThat(net.node(2).entry(2).orElseThrow().term()).isEqualTo(1);
        assertThat(net.node(1).status().lastIndex()).isEqualTo(3);
        assertThat(net.node(1).status().commit()).as("but S1 must not commit it by counting").isEqualTo(1);

        net.heal();                                     // (d) S1 crashes; S5 can win and overwrite index 2
        net.crash(1);
        net.restart(5);
        for (int i = 0; i < 3 && net.node(5).status().role() != Role.LEADER; i++) {
            net.elect(5);
        }
        assertThat(net.node(5).status().role()).isEqualTo(Role.LEADER);
        net.restart(1);
        net.tickAll(3);
        for (int n = 1; n <= 5; n++) {
            assertThat(net.node(n).entry(2).orElseThrow().term()).as("S%d index 2", n).isEqualTo(2);
            assertThat(net.appliedData(n)).doesNotContain("from-term-1");
        }
    }

    @Test
    void figure8_anOldTermEntryCommitsOnceTheLeadersOwnTermEntryIsOnAMajority() {
        RaftNetwork net = new RaftNetwork(9).tune(b -> b.preVote(false).checkQuorum(false));
        net.start(5);
        net.elect(1);
        net.drop(m -> m.from().equals(id(1)) && !m.to().equals(id(2)));
        net.propose(1, "from-term-1");
        net.stabilize();
        net.heal();
        net.crash(1);
        net.restart(1);
        net.elect(1);                                   // (e) term 2: its empty entry carries index 2 along
        assertThat(net.node(1).status().role()).isEqualTo(Role.LEADER);
        assertThat(net.node(1).status().commit()).isEqualTo(3);
        for (int n = 1; n <= 5; n++) {
            assertThat(net.appliedData(n)).as("S%d: %s", n, net.node(n)).containsExactly("from-term-1");
        }
    }
}
