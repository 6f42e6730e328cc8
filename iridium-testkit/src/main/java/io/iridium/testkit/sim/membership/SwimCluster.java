package io.iridium.testkit.sim.membership;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.membership.SwimCodec;
import io.iridium.membership.SwimConfig;
import io.iridium.membership.SwimMessage;
import io.iridium.membership.Swim;
import io.iridium.testkit.sim.NodeContext;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A network of simulated nodes, each running one {@link Swim} core on channel {@link #CHANNEL},
 * plus the checkers that judge it against the simulator's ground truth.
 *
 * <p>Node {@code i} is named {@code n<i>} and listens at {@code 10.x.y.z:7946}; every node but
 * the first joins through the first running node (the seed) when it starts or restarts. Each
 * node's clock is skewed by a random amount up to {@link #maxClockSkewMillis} either way.
 * Every membership event is traced and recorded as an {@link Observation} together with
 * whether its subject identity was running at that instant and whether a partition was in
 * force, so that {@link #falseFailures()} can tell a wrong verdict from a right one.
 *
 * <p>Convergence means: every running node that has not left sees exactly the running,
 * not-left identities as ALIVE, and nothing else as live.
 */
public final class SwimCluster {

    /** The simulator channel SWIM datagrams travel on. */
    public static final int CHANNEL = 1;
    private static final int PORT = 7946;

    /** One membership event seen by one node, with the ground truth when it was seen. */
    public record Observation(long time, SimNode observer, MembershipEvent event, boolean subjectRunning,
                              boolean duringPartition) {}

    private final Simulation sim;
    private final SwimConfig config;
    private final SplittableRandom skews;
    private final long maxClockSkewMillis;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Set<NodeId> departed = new HashSet<>();
    private final List<Observation> observations = new ArrayList<>();
    private boolean recordObservations = true;

    /**
     * @param maxClockSkewMillis each node's clock is off by a random amount in ± this
     */
    public SwimCluster(Simulation sim, SwimConfig config, long maxClockSkewMillis) {
        this.sim = sim;
        this.config = config;
        this.maxClockSkewMillis = maxClockSkewMillis;
        this.skews = new SplittableRandom(sim.seed() ^ 0x5DEECE66DL);
        sim.setTickMillis(config.tickMillis());
    }

    public Simulation simulation() {
        return sim;
    }

    /** Stop keeping {@link Observation}s (a long benchmark run keeps only its own counts). */
    public void setRecordObservations(boolean record) {
        this.recordObservations = record;
    }

    /** Adds and starts one node; it joins through the seed. */
    public SimNode addNode() {
        int index = nodes.size();
        Endpoint address = new Endpoint("10." + (index / 62_500) + "." + (index / 250 % 250) + "." + (index % 250 + 1), PORT);
        long skew = maxClockSkewMillis == 0 ? 0 : skews.nextLong(-maxClockSkewMillis, maxClockSkewMillis + 1);
        SimNode node = sim.addNode("n" + index, address, skew, this::install);
        nodes.add(node);
        return node;
    }

    /** Adds {@code count} nodes, letting {@code spacingMillis} of virtual time pass after each. */
    public List<SimNode> addNodes(int count, long spacingMillis) {
        List<SimNode> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            added.add(addNode());
            sim.runFor(spacingMillis);
        }
        return added;
    }

    private void install(NodeContext context) {
        SimNode node = context.node();
        Member self = new Member(context.id(), context.name(), context.address(), 0, MemberState.ALIVE);
        Swim swim = new Swim(config, self, context.environment(),
                context.outbox(CHANNEL, SwimCodec::encode, SwimCluster::kind),
                event -> observe(context, node, event));
        context.register(CHANNEL, (from, payload) -> swim.receive(from, SwimCodec.decode(payload)));
        context.onTick(swim::tick);
        context.expose(Swim.class, swim);
        for (SimNode candidate : nodes) {
            if (candidate != node && candidate.isUp()) {
                swim.join(candidate.address());
                break;
            }
        }
    }

    private static String kind(SwimMessage message) {
        return switch (message) {
            case SwimMessage.Ping p -> "ping";
            case SwimMessage.Ack a -> "ack";
            case SwimMessage.PingReq r -> "ping-req";
            case SwimMessage.Nack n -> "nack";
            case SwimMessage.Rumor r -> "rumor";
            case SwimMessage.PushPull s -> "push-pull";
        };
    }

    private void observe(NodeContext context, SimNode node, MembershipEvent event) {
        Member subject = event.member();
        if (context.isTracing()) {
            context.trace(event.getClass().getSimpleName() + " " + subject.name() + "/" + subject.id() + " inc " + subject.incarnation());
        }
        if (recordObservations) {
            observations.add(new Observation(sim.now(), node, event, isRunning(subject.id()), sim.isPartitioned()));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Faults and commands

    /** Crashes {@code node} (its identity is not coming back). */
    public void crash(SimNode node) {
        sim.crash(node);
    }

    /** Restarts a crashed node: a new identity at the same address, joining through the seed. */
    public void restart(SimNode node) {
        sim.restart(node);
    }

    /** {@code node} leaves gracefully; the process stops {@code stopAfterMillis} later. */
    public void leave(SimNode node, long stopAfterMillis) {
        departed.add(node.id());
        swim(node).leave();
        NodeId leaving = node.id();
        sim.schedule(stopAfterMillis, () -> {
            if (node.isUp() && node.id().equals(leaving)) {
                sim.stop(node);
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Views and checkers

    public List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Nodes up and not departing. */
    public List<SimNode> runningNodes() {
        return nodes.stream().filter(n -> n.isUp() && !departed.contains(n.id())).toList();
    }

    public Swim swim(SimNode node) {
        return node.component(Swim.class);
    }

    /** Whether the identity {@code id} belongs to a running node that has not left. */
    public boolean isRunning(NodeId id) {
        for (SimNode node : nodes) {
            if (node.isUp() && node.id().equals(id)) {
                return !departed.contains(id);
            }
        }
        return false;
    }

    public List<Observation> observations() {
        return List.copyOf(observations);
    }

    /** Failed verdicts about identities that were running, outside partitions. */
    public List<Observation> falseFailures() {
        return observations.stream()
                .filter(o -> o.event() instanceof MembershipEvent.Failed && o.subjectRunning() && !o.duringPartition())
                .toList();
    }

    /** The running nodes that hold {@code subject} in {@code state}. */
    public List<SimNode> nodesSeeing(NodeId subject, MemberState state) {
        List<SimNode> seeing = new ArrayList<>();
        for (SimNode node : runningNodes()) {
            for (Member member : swim(node).members()) {
                if (member.id().equals(subject) && member.state() == state) {
                    seeing.add(node);
                    break;
                }
            }
        }
        return seeing;
    }

    /** Whether every running node holds {@code subject} in {@code state}. */
    public boolean allSee(NodeId subject, MemberState state) {
        return nodesSeeing(subject, state).size() == runningNodes().size();
    }

    /** Whether all running nodes agree that exactly the running identities are alive. */
    public boolean converged() {
        return divergence().isEmpty();
    }

    /** Empty when {@link #converged()}; otherwise the first disagreement, in words. */
    public String divergence() {
        Set<NodeId> expected = runningNodes().stream().map(SimNode::id).collect(Collectors.toCollection(TreeSet::new));
        for (SimNode node : runningNodes()) {
            Set<NodeId> alive = new TreeSet<>();
            Set<NodeId> live = new TreeSet<>();
            for (Member member : swim(node).members()) {
                if (member.state() == MemberState.ALIVE) {
                    alive.add(member.id());
                }
                if (member.state().isLive()) {
                    live.add(member.id());
                }
            }
            if (!alive.equals(expected) || !live.equals(expected)) {
                Set<NodeId> missing = new TreeSet<>(expected);
                missing.removeAll(alive);
                Set<NodeId> extra = new TreeSet<>(live);
                extra.removeAll(expected);
                return node + " sees " + alive.size() + " alive of " + expected.size() + " running; not alive: "
                        + missing + ", wrongly live: " + extra;
            }
        }
        return "";
    }
}
