package io.iridium.testkit.sim;

import io.iridium.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A deterministic simulation: one thread, virtual time in milliseconds, one seed.
 *
 * <p>Everything that happens is an event in one queue ordered by (virtual time, insertion
 * sequence): node ticks every {@link #tickMillis()}, datagram deliveries, and actions a test
 * schedules. All randomness comes from one {@link SplittableRandom} seeded with {@link #seed()}:
 * the network draws from one split, and each node start (or restart) splits a fresh generator
 * for that incarnation, in the order the calls happen. Nothing reads the wall clock, so a seed
 * and a scenario determine the run, and its {@link #trace()}, exactly.
 *
 * <p>The network carries encoded bytes. Each datagram is counted at its sealed size (payload
 * plus {@link #SEALED_ENVELOPE_OVERHEAD_BYTES}), then subjected to partitions, loss, latency,
 * reordering and duplication ({@link NetworkConditions}). Partitions are checked when a
 * datagram is sent: what is already in flight still arrives.
 *
 * <p>Not thread-safe: one simulation belongs to one thread.
 */
public final class Simulation {

    /** Bytes the runtime's AES-GCM sealing adds to each datagram (version, key id, nonce, tag). */
    public static final int SEALED_ENVELOPE_OVERHEAD_BYTES = 37;

    private final long seed;
    private final SplittableRandom root;
    private final SplittableRandom networkRandom;
    private final EventQueue events = new EventQueue();
    private final Trace trace = new Trace();
    private final TrafficStats traffic = new TrafficStats();
    private final Map<Endpoint, SimNode> nodesByAddress = new LinkedHashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    private NetworkConditions conditions = NetworkConditions.lan();
    private long tickMillis = 100;
    private boolean traceMessages;
    private long now;

    public Simulation(long seed) {
        this.seed = seed;
        this.root = new SplittableRandom(seed);
        this.networkRandom = root.split();
        trace.record(0, "sim", "seed " + seed);
    }

    public long seed() {
        return seed;
    }

    /** Virtual time in milliseconds since the start. */
    public long now() {
        return now;
    }

    public Trace trace() {
        return trace;
    }

    public TrafficStats traffic() {
        return traffic;
    }

    public NetworkConditions conditions() {
        return conditions;
    }

    /** Changes how the network treats datagrams sent from now on. */
    public void setConditions(NetworkConditions conditions) {
        this.conditions = Objects.requireNonNull(conditions);
        trace.record(now, "sim", "network " + conditions);
    }

    public long tickMillis() {
        return tickMillis;
    }

    /** How often every node's cores tick; set before adding nodes. */
    public void setTickMillis(long tickMillis) {
        if (tickMillis <= 0) {
            throw new IllegalArgumentException("tickMillis must be positive");
        }
        this.tickMillis = tickMillis;
    }

    /** Whether the trace records anything at all (on by default; large benchmark runs turn it off). */
    public void setTracing(boolean tracing) {
        trace.setEnabled(tracing);
    }

    /** Whether every datagram sent is traced (for determinism checks on small runs). */
    public void setTraceMessages(boolean traceMessages) {
        this.traceMessages = traceMessages;
    }

    /** Every node ever added, in the order added. */
    public List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * Adds and starts a node at {@code address}, whose clock reads virtual time plus
     * {@code clockSkewMillis}; {@code setup} installs its cores now and on every restart.
     */
    public SimNode addNode(String name, Endpoint address, long clockSkewMillis, NodeSetup setup) {
        if (nodesByAddress.containsKey(address)) {
            throw new IllegalArgumentException("a node already listens at " + address);
        }
        SimNode node = new SimNode(this, name, address, clockSkewMillis, setup);
        nodesByAddress.put(address, node);
        nodes.add(node);
        node.start();
        return node;
    }

    /** Stops {@code node} abruptly: no more ticks or deliveries, and its cores' state is lost. */
    public void crash(SimNode node) {
        node.halt("crash");
    }

    /** Stops {@code node} as a process exit after a graceful leave: like a crash, traced as a stop. */
    public void stop(SimNode node) {
        node.halt("stop");
    }

    /** Starts a crashed node again: fresh cores, a new identity, the same address. */
    public void restart(SimNode node) {
        if (node.isUp()) {
            throw new IllegalStateException(node + " is running");
        }
        node.start();
    }

    /** Two sets of addresses that cannot reach each other. */
    private record Partition(Set<Endpoint> side, Set<Endpoint> otherSide) {
        boolean separates(Endpoint from, Endpoint to) {
            return (side.contains(from) && otherSide.contains(to)) || (otherSide.contains(from) && side.contains(to));
        }
    }

    /** Blocks every datagram between a node of {@code side} and a node of {@code otherSide}. */
    public void partition(Collection<SimNode> side, Collection<SimNode> otherSide) {
        Set<Endpoint> a = new HashSet<>();
        Set<Endpoint> b = new HashSet<>();
        side.forEach(n -> a.add(n.address()));
        otherSide.forEach(n -> b.add(n.address()));
        partitions.add(new Partition(a, b));
        trace.record(now, "sim", "partition " + side.size() + " | " + otherSide.size());
    }

    /** Removes every partition. */
    public void heal() {
        partitions.clear();
        trace.record(now, "sim", "heal");
    }

    public boolean isPartitioned() {
        return !partitions.isEmpty();
    }

    /** Whether datagrams from {@code from} to {@code to} are currently blocked. */
    public boolean blocked(Endpoint from, Endpoint to) {
        for (Partition partition : partitions) {
            if (partition.separates(from, to)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code action} at virtual time {@code now() + delayMillis}. */
    public void schedule(long delayMillis, Runnable action) {
        events.schedule(now + Math.max(0, delayMillis), action);
    }

    /** Processes every event up to and including {@code now() + millis}; time then reads that instant. */
    public void runFor(long millis) {
        long end = now + millis;
        while (events.hasEventAtOrBefore(end)) {
            now = events.nextTime();
            events.takeNext().run();
        }
        now = end;
    }

    /**
     * Runs until {@code condition} holds, checking it every {@code checkEveryMillis} of virtual
     * time, for at most {@code maxMillis}.
     *
     * @return whether the condition held in time
     */
    public boolean runUntil(BooleanSupplier condition, long maxMillis, long checkEveryMillis) {
        long deadline = now + maxMillis;
        while (!condition.getAsBoolean()) {
            if (now >= deadline) {
                return false;
            }
            runFor(Math.min(checkEveryMillis, deadline - now));
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Used by nodes

    SplittableRandom splitRandom() {
        return root.split();
    }

    void record(String node, String event) {
        trace.record(now, node, event);
    }

    void scheduleAt(long time, Runnable action) {
        events.schedule(time, action);
    }

    void send(SimNode sender, Endpoint to, int channel, String kind, byte[] payload) {
        int wireBytes = payload.length + SEALED_ENVELOPE_OVERHEAD_BYTES;
        traffic.sent(sender.name(), kind, wireBytes);
        if (traceMessages && trace.isEnabled()) {
            trace.record(now, sender.name(), "send " + kind + " to " + to + " " + wireBytes + "B");
        }
        Endpoint from = sender.address();
        if (blocked(from, to) || networkRandom.nextDouble() < conditions.dropProbability()) {
            traffic.countDropped();
            return;
        }
        deliverLater(from, to, channel, payload);
        if (conditions.duplicateProbability() > 0 && networkRandom.nextDouble() < conditions.duplicateProbability()) {
            traffic.countDuplicated();
            deliverLater(from, to, channel, payload);
        }
    }

    private void deliverLater(Endpoint from, Endpoint to, int channel, byte[] payload) {
        double delay = conditions.baseLatencyMillis();
        if (conditions.meanJitterMillis() > 0) {
            delay += -conditions.meanJitterMillis() * Math.log(1 - networkRandom.nextDouble());
        }
        if (conditions.reorderProbability() > 0 && networkRandom.nextDouble() < conditions.reorderProbability()) {
            delay += networkRandom.nextDouble() * conditions.reorderDelayMillis();
        }
        events.schedule(now + Math.round(delay), () -> deliver(from, to, channel, payload));
    }

    private void deliver(Endpoint from, Endpoint to, int channel, byte[] payload) {
        SimNode target = nodesByAddress.get(to);
        if (target == null || !target.isUp()) {
            traffic.countUndeliverable();
            return;
        }
        target.deliver(from, channel, payload);
    }
}
