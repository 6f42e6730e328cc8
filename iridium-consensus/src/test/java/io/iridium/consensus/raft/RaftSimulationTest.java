package io.iridium.consensus.raft;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link RaftSimulation} over many seeds: {@code -Diridium.raft.seeds=N} sets how many
 * (default 200), {@code -Diridium.seed=S} replays one. A failure names its seed.
 */
class RaftSimulationTest {

    private static final int SEEDS = Integer.getInteger("iridium.raft.seeds", 200);
    private static final int ROUNDS = 600;

    @Test
    void fiveNodes_underPartitionsCrashesPausesSkewLossDuplicationReorderingAndMembershipChanges_staySafeLinearizableAndFenced() {
        String replay = System.getProperty("iridium.seed");
        long first = replay != null ? Long.parseLong(replay) : 1;
        long last = replay != null ? first : SEEDS;
        long operations = 0;
        long acknowledged = 0;
        long changes = 0;
        long retries = 0;
        long grants = 0;
        for (long seed = first; seed <= last; seed++) {
            RaftSimulation sim = new RaftSimulation(seed);
            try {
                sim.run(ROUNDS);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " crashed (replay with -Diridium.seed=" + seed + ")", e);
            }
            operations += sim.operations();
            changes += sim.membershipChanges;
            acknowledged += sim.acknowledgedWrites;
            retries += sim.retries;
            grants += sim.lockGrants;
        }
        if (replay == null) {
            assertThat(acknowledged).as("the runs made progress").isGreaterThan((last - first + 1) * 10);
            assertThat(retries).as("writes were retried, exercising sessions").isPositive();
            assertThat(grants).as("the lock changed hands").isGreaterThan(last - first + 1);
        }
        System.out.printf("raft simulation: seeds %d..%d, %d operations, %d acknowledged writes, %d retried writes,"
                + " %d lock grants, %d membership changes%n", first, last, operations, acknowledged, retries, grants, changes);
    }

    @Test
    void leaseReads_withClocksWithinTheirAssumedDrift_stayLinearizable() {
        for (long seed = 1; seed <= Math.max(1, SEEDS / 4); seed++) {
            new RaftSimulation(seed, true, true).run(ROUNDS);
        }
    }

    @Test
    void sameSeed_replaysTheSameRun() {
        RaftSimulation a = new RaftSimulation(42);
        a.run(300);
        RaftSimulation b = new RaftSimulation(42);
        b.run(300);
        assertThat(a.traceHash()).isEqualTo(b.traceHash());
        assertThat(a.messagesDelivered).isEqualTo(b.messagesDelivered).isPositive();
    }
}
