package io.iridium.cli.demo;

import io.iridium.consensus.group.GroupClient;
import io.iridium.consensus.group.GroupOptions;
import io.iridium.consensus.group.RaftGroup;
import io.iridium.consensus.machine.KeyValue;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;
import io.iridium.consensus.raft.Role;
import io.iridium.data.replication.Consistency;
import io.iridium.data.replication.ReplicatedCounter;
import io.iridium.data.replication.Replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The consensus act: a three-member Raft group ({@code io.iridium.consensus.group}) on three real
 * nodes elects a leader, takes writes, loses its leader to a crash, elects another, and still
 * holds every acknowledged write. Then, over one interval on the same two surviving nodes, the
 * group's linearizable counter and a CRDT counter ({@code io.iridium.data.replication}) are
 * incremented side by side by the same number of workers, each waiting for its add to be
 * acknowledged (Raft: committed by a majority's fsynced logs; CRDT: held by a majority of
 * replicas, no log, no leader); both totals and throughputs are printed, the "serialize every
 * write" answer beside the "merge every write" one. Each member fsyncs its log in a temporary
 * directory, removed at the end. Every number printed is measured in this run; the only check is
 * that each total equals the adds acknowledged.
 */
final class RaftAct implements DemoAct {

    private static final String CLUSTER = "ledger";
    private static final String CRDT_CLUSTER = "ledger-crdt";
    private static final List<String> MEMBERS = List.of("raft-1", "raft-2", "raft-3");
    private static final int WRITES = 50;
    private static final int COUNTER_CLIENTS = 16;
    private static final Duration COUNTING = Duration.ofSeconds(3);
    private static final long TICK_MILLIS = Long.getLong("iridium.demo.raftTickMillis", 50);

    @Override
    public String title() {
        return "Consensus: a Raft group loses its leader and no acknowledged write";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "Three nodes form the Raft group '" + CLUSTER + "' (members named " + String.join(", ", MEMBERS) + "):",
                "each keeps a log on disk, synced before it acknowledges. They elect a leader, take " + WRITES
                        + " writes,",
                "then the leader crashes. The survivors elect another and every acknowledged write is read back.",
                "Then, for " + COUNTING.toSeconds() + " s on the two survivors, " + COUNTER_CLIENTS
                        + " workers increment the linearizable counter (every add through the log)",
                "while " + COUNTER_CLIENTS + " others increment a CRDT counter (every add merged, no leader);"
                        + " each worker waits for a majority to acknowledge its add.");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        Path data = temporaryDirectory();
        List<RaftGroup> groups = new ArrayList<>();
        List<DemoNode> nodes = new ArrayList<>();
        try {
            stage.markTime();
            for (String name : MEMBERS) {
                DemoNode node = stage.network().startNode(name);
                nodes.add(node);
                groups.add(startMember(node, data));
            }
            stage.await(() -> leader(groups).isPresent(), "a leader", () -> describe(groups));
            RaftGroup first = leader(groups).orElseThrow();
            stage.narrateTimed(first.status().member() + " was elected leader of term " + first.status().term());

            GroupClient client = new GroupClient(nodes.get(0).runtime(), CLUSTER, stage.deadline());
            long started = System.nanoTime();
            for (int i = 0; i < WRITES; i++) {
                client.put("order/" + i, "paid-" + i);
            }
            double perWrite = (System.nanoTime() - started) / 1e6 / WRITES;
            stage.narrateTimed(String.format("%d writes acknowledged, one after another (%.1f ms each: a majority"
                    + " fsynced each)", WRITES, perWrite));

            int index = groups.indexOf(first);
            long crashedAt = System.nanoTime();
            nodes.get(index).crash();
            Thread.ofVirtual().start(first::close);     // its process is gone; tidy up off the clock
            groups.remove(index);
            DemoNode crashed = nodes.remove(index);
            stage.narrateTimed(crashed.name() + ", the leader, crashed");
            long oldTerm = first.status().term();
            stage.await(() -> leader(groups).filter(g -> g.status().term() > oldTerm).isPresent(), "a new leader",
                    () -> describe(groups));
            RaftGroup second = leader(groups).orElseThrow();
            stage.narrateTimed(String.format("%s was elected leader of term %d, %.0f ms after the crash",
                    second.status().member(), second.status().term(), (System.nanoTime() - crashedAt) / 1e6));

            GroupClient survivor = new GroupClient(nodes.get(0).runtime(), CLUSTER, stage.deadline());
            List<KeyValue> read = survivor.list("order/", 10 * WRITES);
            long intact = read.stream().filter(kv -> kv.valueText().equals("paid-" + kv.key().substring(6))).count();
            if (intact != WRITES) {
                throw new DemoFailedException("expected all " + WRITES + " acknowledged writes after the failover,"
                        + " read back " + intact + " intact of " + read.size());
            }
            stage.narrateTimed("read back all " + WRITES + " acknowledged writes from the new leader's group:"
                    + " none lost");

            countConcurrently(stage, nodes);
        } finally {
            groups.forEach(RaftGroup::close);
            deleteQuietly(data);
        }
    }

    private static void countConcurrently(DemoStage stage, List<DemoNode> nodes) throws InterruptedException {
        List<Replicas> replicas = new ArrayList<>();
        try {
            for (DemoNode node : nodes) {
                replicas.add(Replicas.join(node.runtime(), CRDT_CLUSTER));
            }
            stage.await(() -> replicas.stream().allMatch(r -> r.replicas().size() == nodes.size()),
                    "the CRDT replicas to see each other", () -> replicas.stream().map(r -> r.replicas().size()).toList()
                            .toString());
            LongAdder raftAcknowledged = new LongAdder();
            LongAdder crdtAcknowledged = new LongAdder();
            long started = System.nanoTime();
            long stopAt = started + COUNTING.toNanos();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> workers = new ArrayList<>();
                for (int c = 0; c < COUNTER_CLIENTS; c++) {
                    GroupClient client = new GroupClient(nodes.get(c % nodes.size()).runtime(), CLUSTER, stage.deadline());
                    workers.add(pool.submit(() -> {
                        while (System.nanoTime() < stopAt) {
                            client.add("impressions", 1);
                            raftAcknowledged.increment();
                        }
                    }));
                    ReplicatedCounter counter = replicas.get(c % replicas.size()).counter("impressions");
                    workers.add(pool.submit(() -> {
                        while (System.nanoTime() < stopAt) {
                            counter.increment(1, Consistency.MAJORITY, stage.deadline()).join();
                            crdtAcknowledged.increment();
                        }
                    }));
                }
                for (Future<?> f : workers) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new DemoFailedException("a counter worker failed: " + e.getCause());
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            GroupClient reader = new GroupClient(nodes.get(0).runtime(), CLUSTER, stage.deadline());
            long raftTotal = ((Result.Count) reader.read(new Query.CounterValue("impressions"),
                    io.iridium.consensus.group.Consistency.LINEARIZABLE)).value();
            long crdtExpected = crdtAcknowledged.sum();
            stage.await(() -> replicas.stream().allMatch(r -> r.counter("impressions").value() == crdtExpected),
                    "the CRDT replicas to converge on " + crdtExpected, () -> replicas.stream()
                            .map(r -> r.counter("impressions").value()).toList().toString());
            long crdtTotal = replicas.getFirst().counter("impressions").value();
            stage.print(String.format("  %-44s %12s %14s", "", "total", "adds/s"));
            stage.print(String.format("  %-44s %12d %14.0f", "linearizable counter (Raft, 2 live members)", raftTotal,
                    raftAcknowledged.sum() / seconds));
            stage.print(String.format("  %-44s %12d %14.0f", "CRDT counter (PN-counter, 2 replicas)", crdtTotal,
                    crdtAcknowledged.sum() / seconds));
            if (raftTotal != raftAcknowledged.sum()) {
                throw new DemoFailedException("the Raft counter holds " + raftTotal + " but " + raftAcknowledged.sum()
                        + " adds were acknowledged");
            }
            stage.narrate("both totals equal their acknowledged adds (" + raftAcknowledged.sum() + " and " + crdtTotal
                    + "), measured over the same " + String.format("%.1f", seconds) + " s with " + COUNTER_CLIENTS
                    + " workers each:");
            stage.narrate("a Raft add is ordered through one leader and fsynced by a majority; a CRDT add needs"
                    + " neither, and its replicas merge their entries, so it cannot answer compare-and-set or locks");
        } finally {
            replicas.forEach(Replicas::close);
        }
    }

    private static RaftGroup startMember(DemoNode node, Path data) {
        try {
            return RaftGroup.start(node.runtime(), GroupOptions.of(CLUSTER, MEMBERS, data.resolve(node.name()))
                    .withTick(Duration.ofMillis(TICK_MILLIS)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log of " + node.name(), e);
        }
    }

    private static Optional<RaftGroup> leader(List<RaftGroup> groups) {
        return groups.stream().filter(g -> g.status().role() == Role.LEADER).max(Comparator.comparingLong(g -> g.status().term()));
    }

    private static String describe(List<RaftGroup> groups) {
        return groups.stream().map(g -> g.status().member() + "=" + g.status().role() + "/" + g.status().term()).toList()
                .toString();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("iridium-demo-raft");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the group's logs", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
