package io.iridium.data.demo;

import io.iridium.data.crdt.LwwRegister;
import io.iridium.data.replication.Consistency;
import io.iridium.data.replication.ReplicaConfig;
import io.iridium.data.replication.ReplicaCore;
import io.iridium.data.replication.ReplicatedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The ad-impression counter: five replicas count impressions concurrently, a partition splits
 * them in the middle of the run, and their clocks are skewed. Three ways of keeping the count run
 * side by side on the same impressions, each on the real replicator core:
 * <ul>
 *   <li><b>CRDT counter</b> — a PN-counter updated at LOCAL consistency: every replica accepts
 *       every impression, partition or not, and the replicas converge on the exact total;
 *   <li><b>LWW register</b> — the count as a last-writer-wins register: each replica reads its
 *       local value and writes value + 1 stamped by its hybrid logical clock; concurrent writes
 *       overwrite each other, and after the partition heals one side's history wins whole;
 *   <li><b>read-modify-write</b> — the count as a register read at MAJORITY and written back
 *       (+1) at MAJORITY, with no lock: reads and writes of different replicas interleave and
 *       overwrite each other, and the minority side of the partition cannot count at all.
 * </ul>
 * Nothing here is asserted: the run measures what each approach ends with against the true
 * number of impressions. The network is {@link InProcessReplicaNetwork} (virtual time), so the
 * partition is exact and a 30 s scenario takes well under a second of real time.
 */
public final class AdCounterScenario {

    /**
     * What to run.
     *
     * @param seed           the seed of every random choice (latencies, impression times)
     * @param replicas       how many replicas count
     * @param durationMillis how long impressions arrive (virtual time)
     * @param partitionFrom  when the partition starts, in ms from the start
     * @param partitionUntil when it heals
     * @param minorityCount  how many replicas are cut off from the others
     * @param skewsMillis    each replica's clock offset (cycled)
     * @param meanGapMillis  the mean time between two impressions at one replica
     */
    public record Settings(long seed, int replicas, long durationMillis, long partitionFrom, long partitionUntil,
            int minorityCount, long[] skewsMillis, long meanGapMillis) {

        /** Validates the record. */
        public Settings {
            if (replicas < 2 || minorityCount < 1 || minorityCount >= replicas) {
                throw new IllegalArgumentException("need at least 2 replicas and a minority of 1.." + (replicas - 1));
            }
            if (!(0 <= partitionFrom && partitionFrom <= partitionUntil && partitionUntil <= durationMillis)) {
                throw new IllegalArgumentException("the partition must lie within the run");
            }
            Objects.requireNonNull(skewsMillis, "skewsMillis");
            if (skewsMillis.length == 0 || meanGapMillis < 1) {
                throw new IllegalArgumentException("need at least one skew and a mean gap >= 1 ms");
            }
        }

        /** Five replicas, 30 s, partition 2 | 3 from 10 s to 20 s, clocks skewed by up to 1.2 s. */
        public static Settings standard(long seed) {
            return new Settings(seed, 5, 30_000, 10_000, 20_000, 2, new long[] {0, 800, -1_200, 300, -500}, 10);
        }
    }

    /**
     * What the run measured.
     *
     * @param impressions          the true number of impressions
     * @param crdtValues           each replica's CRDT counter at the end
     * @param crdtRefused          impressions the CRDT counter refused (LOCAL never refuses)
     * @param crdtConvergedMillis  how long after the last impression every replica's counter was
     *                             exact, to the 10 ms step (-1: never)
     * @param lwwValue             the LWW register's final value (the replicas agree on it)
     * @param rmwValue             the read-modify-write register's final value
     * @param rmwRefused           impressions the read-modify-write counter could not count
     *                             (no majority reachable in time)
     * @param bytesSent            bytes of replication messages on the network
     */
    public record Result(long impressions, List<Long> crdtValues, long crdtRefused, long crdtConvergedMillis,
            long lwwValue, long rmwValue, long rmwRefused, long bytesSent) {

        /** Impressions the LWW register does not count. */
        public long lwwLost() {
            return impressions - lwwValue;
        }

        /** Impressions the read-modify-write counter does not count (refused ones included). */
        public long rmwLost() {
            return impressions - rmwValue;
        }
    }

    private static final String CRDT = "impressions.crdt";
    private static final String LWW = "impressions.lww";
    private static final String RMW = "impressions.rmw";
    private static final long OPERATION_TIMEOUT_MILLIS = 500;

    private final Settings settings;
    private long impressions;
    private long rmwRefused;

    private AdCounterScenario(Settings settings) {
        this.settings = settings;
    }

    /** Runs the scenario and measures it. */
    public static Result run(Settings settings) {
        return new AdCounterScenario(settings).play();
    }

    private Result play() {
        InProcessReplicaNetwork network = new InProcessReplicaNetwork(settings.seed(), settings.replicas(),
                settings.skewsMillis(), ReplicaConfig.defaults());
        List<ReplicaCore> cores = network.cores();
        for (int i = 0; i < cores.size(); i++) {
            scheduleImpression(network, cores.get(i));
        }
        Set<Integer> minority = new java.util.HashSet<>();
        for (int i = 0; i < settings.minorityCount(); i++) {
            minority.add(i);
        }
        network.runFor(settings.partitionFrom());
        network.partition(minority);
        network.runFor(settings.partitionUntil() - settings.partitionFrom());
        network.heal();
        long convergedAt = -1;
        long end = settings.durationMillis() + 30_000;
        while (network.now() < end) {
            network.runFor(10);
            if (convergedAt < 0 && network.now() >= settings.durationMillis() && exact(cores)) {
                convergedAt = network.now();
            }
            if (convergedAt >= 0 && network.now() >= settings.durationMillis() + 5_000 && agree(cores)) {
                break;
            }
        }
        List<Long> crdtValues = new ArrayList<>();
        for (ReplicaCore core : cores) {
            crdtValues.add(core.value(CRDT, ReplicatedType.counter()).value());
        }
        return new Result(impressions, crdtValues, 0, convergedAt < 0 ? -1 : convergedAt - settings.durationMillis(),
                count(cores.get(0).value(LWW, ReplicatedType.lwwRegister())),
                count(cores.get(0).value(RMW, ReplicatedType.lwwRegister())), rmwRefused, network.bytesSent());
    }

    private void scheduleImpression(InProcessReplicaNetwork network, ReplicaCore core) {
        long gap = 1 + network.random().nextLong(2 * settings.meanGapMillis());
        network.schedule(gap, () -> {
            if (network.now() >= settings.durationMillis()) {
                return;
            }
            impress(core);
            scheduleImpression(network, core);
        });
    }

    private void impress(ReplicaCore core) {
        impressions++;
        core.update(CRDT, ReplicatedType.counter(), (counter, ctx) -> counter.add(ctx.replica(), 1),
                Consistency.LOCAL, OPERATION_TIMEOUT_MILLIS);
        core.update(LWW, ReplicatedType.lwwRegister(), (register, ctx) -> register.set(ctx.replica(),
                ctx.timestampAfter(register.timestamp()), Long.toString(count(register) + 1)),
                Consistency.LOCAL, OPERATION_TIMEOUT_MILLIS);
        core.read(RMW, ReplicatedType.lwwRegister(), Consistency.MAJORITY, OPERATION_TIMEOUT_MILLIS)
                .whenComplete((read, readFailure) -> {
                    if (readFailure != null) {
                        rmwRefused++;
                        return;
                    }
                    long next = count(read) + 1;
                    core.update(RMW, ReplicatedType.lwwRegister(), (register, ctx) -> register.set(ctx.replica(),
                            ctx.timestampAfter(register.timestamp()), Long.toString(next)),
                            Consistency.MAJORITY, OPERATION_TIMEOUT_MILLIS)
                            .whenComplete((written, writeFailure) -> {
                                if (writeFailure != null) {
                                    rmwRefused++;
                                }
                            });
                });
    }

    private boolean exact(List<ReplicaCore> cores) {
        for (ReplicaCore core : cores) {
            if (core.value(CRDT, ReplicatedType.counter()).value() != impressions) {
                return false;
            }
        }
        return true;
    }

    private static boolean agree(List<ReplicaCore> cores) {
        Object first = cores.get(0).snapshot();
        for (ReplicaCore core : cores) {
            if (!core.snapshot().equals(first)) {
                return false;
            }
        }
        return true;
    }

    private static long count(LwwRegister<String> register) {
        return register.value().map(Long::parseLong).orElse(0L);
    }
}
