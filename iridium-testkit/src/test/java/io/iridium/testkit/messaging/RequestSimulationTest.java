package io.iridium.testkit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.IridiumException;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.env.Outbox;
import io.iridium.membership.Swim;
import io.iridium.membership.SwimCodec;
import io.iridium.membership.SwimConfig;
import io.iridium.messaging.RequestCore;
import io.iridium.messaging.RouteTable;
import io.iridium.messaging.Target;
import io.iridium.routing.Registry;
import io.iridium.routing.RegistryCodec;
import io.iridium.routing.RegistryConfig;
import io.iridium.testkit.messaging.RequestFrameCodec.Frame;
import io.iridium.testkit.sim.NetworkConditions;
import io.iridium.testkit.sim.NodeContext;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import io.iridium.testkit.sim.junit.SimSeed;
import io.iridium.testkit.sim.junit.SimSeedExtension;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request lifecycle ({@link RequestCore}) in the simulator, routed by the real SWIM and
 * registry cores, under server crashes and restarts, partitions and 5% loss: no request ever runs
 * twice, every request ends exactly once in a reply or a typed failure, none stays pending past
 * its deadline and a tick, and one seed gives one trace. Seeded from {@code -Diridium.seed}.
 */
@ExtendWith(SimSeedExtension.class)
class RequestSimulationTest {

    private static final int SWIM_CHANNEL = 1;
    private static final int REGISTRY_CHANNEL = 2;
    private static final int REQUEST_CHANNEL = 3;
    private static final int PORT = 7946;
    private static final String CLUSTER = "svc";
    private static final int NODES = 20;
    private static final int SERVERS = 6;
    /** Requests a server runs at once; more are refused as overloaded. */
    private static final int SERVER_LIMIT = 2;
    /** A request takes this long to run, up to twice as long. */
    private static final int SERVICE_MILLIS = 20;
    private static final SwimConfig SWIM = SwimConfig.lan();
    private static final RegistryConfig REGISTRY = RegistryConfig.defaults();

    /** A request by its client incarnation and id. */
    record Key(NodeId client, long id) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byClient = client.compareTo(other.client);
            return byClient != 0 ? byClient : Long.compare(id, other.id);
        }
    }

    @Test
    void churnPartitionsAndLoss_twentyNodes_noRequestRunsTwiceAndEveryRequestEndsOnce(SimSeed seed) {
        Run run = new Run(seed.value());
        run.play();
        run.check();
    }

    @Test
    void churnPartitionsAndLoss_sameSeed_sameTrace(SimSeed seed) {
        Run first = new Run(seed.value());
        first.play();
        Run second = new Run(seed.value());
        second.play();
        assertThat(second.log).as("completions of the same seed").isEqualTo(first.log);
        assertThat(second.sim.trace().lines()).as("simulation trace of the same seed").isEqualTo(first.sim.trace().lines());
    }

    /** One simulated run: the harness, the nodes and the ground truth. */
    private static final class Run {
        final Simulation sim;
        final SplittableRandom choices;
        final List<SimNode> nodes = new ArrayList<>();
        final Set<Integer> serverIndexes = new TreeSet<>();
        final Map<SimNode, Host> hosts = new HashMap<>();
        /** How often each request ran, over all servers. */
        final Map<Key, Integer> ran = new TreeMap<>();
        /** Every request submitted, with its deadline. */
        final Map<Key, Long> submitted = new TreeMap<>();
        final Map<Key, RequestCore.Outcome> completed = new TreeMap<>();
        /** Client incarnations that crashed: their pending requests died with them. */
        final Set<NodeId> crashedClients = new HashSet<>();
        final List<String> violations = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        boolean submitting = true;
        boolean routedAtStart;

        Run(long seed) {
            sim = new Simulation(seed);
            sim.setTracing(true);
            sim.setTickMillis(SWIM.tickMillis());
            choices = new SplittableRandom(seed ^ 0x5eed);
            for (int i = 0; i < SERVERS; i++) {
                serverIndexes.add(1 + i * 3); // n1, n4, ...: n0 (the join point) never crashes
            }
        }

        void play() {
            for (int i = 0; i < NODES; i++) {
                Endpoint address = new Endpoint("10.0.0." + (i + 1), PORT);
                int index = i;
                SimNode node = sim.addNode("n" + i, address, 0, context -> install(context, index));
                nodes.add(node);
                sim.runFor(20);
            }
            sim.runUntil(this::routed, 30_000, 200);
            routedAtStart = routed();
            burst(hosts.get(nodes.get(0))); // every server's limit overrun at once, on a quiet network
            sim.runFor(50);
            sim.setConditions(NetworkConditions.lan().withDrop(0.05));
            scheduleSubmissions();
            for (int step = 0; step < 40; step++) { // 20 s of churn
                chaos();
                sim.runFor(500);
                checkNothingOverdue();
            }
            submitting = false;
            sim.heal();
            sim.runFor(3_000); // past every deadline (at most 1.5 s) and a tick
            checkNothingOverdue();
        }

        /** Whether every running node routes to every running server. */
        boolean routed() {
            long runningServers = serverIndexes.stream().filter(i -> nodes.get(i).isUp()).count();
            return nodes.stream().filter(SimNode::isUp)
                    .allMatch(n -> n.component(Registry.class).routes().membersOf(CLUSTER).size() == runningServers);
        }

        void chaos() {
            int action = choices.nextInt(6);
            List<SimNode> servers = serverIndexes.stream().map(nodes::get).toList();
            if (action == 0) {
                List<SimNode> up = servers.stream().filter(SimNode::isUp).toList();
                if (up.size() > 2) {
                    SimNode victim = up.get(choices.nextInt(up.size()));
                    crashedClients.add(victim.id());
                    sim.crash(victim);
                }
            } else if (action == 1) {
                List<SimNode> down = servers.stream().filter(n -> !n.isUp()).toList();
                if (!down.isEmpty()) {
                    sim.restart(down.get(choices.nextInt(down.size())));
                }
            } else if (action == 2 && !sim.isPartitioned()) {
                List<SimNode> side = new ArrayList<>();
                List<SimNode> other = new ArrayList<>();
                for (SimNode node : nodes) {
                    (choices.nextInt(3) == 0 ? side : other).add(node);
                }
                sim.partition(side, other);
            } else if (action == 3 && sim.isPartitioned()) {
                sim.heal();
            } else if (action == 4) { // a burst from one client: more than every server's limit together
                List<SimNode> up = nodes.stream().filter(SimNode::isUp).toList();
                burst(hosts.get(up.get(choices.nextInt(up.size()))));
            }
        }

        /** {@code client} submits three times as many requests as every server's limit together. */
        void burst(Host client) {
            for (int i = 0; i < 3 * SERVERS * SERVER_LIMIT; i++) {
                client.submit(200 + choices.nextInt(1_300));
            }
        }

        /** Every 5 ms a random running node submits a request with a deadline 200 to 1,500 ms away. */
        void scheduleSubmissions() {
            sim.schedule(5, () -> {
                if (!submitting) {
                    return;
                }
                List<SimNode> up = nodes.stream().filter(SimNode::isUp).toList();
                SimNode client = up.get(choices.nextInt(up.size()));
                hosts.get(client).submit(200 + choices.nextInt(1_300));
                scheduleSubmissions();
            });
        }

        void checkNothingOverdue() {
            for (SimNode node : nodes) {
                Host host = hosts.get(node);
                if (node.isUp() && host.core.earliestDeadline() < sim.now() - SWIM.tickMillis()) {
                    violations.add(node + " holds a request past its deadline and a tick at " + sim.now());
                }
            }
        }

        void check() {
            assertThat(routedAtStart).as("every node routes to every server before the scenario").isTrue();
            assertThat(violations).as("violations").isEmpty();
            ran.forEach((key, times) -> assertThat(times).as("runs of %s", key).isEqualTo(1));
            int replied = 0;
            Map<String, Integer> failures = new TreeMap<>();
            for (Map.Entry<Key, Long> entry : submitted.entrySet()) {
                Key key = entry.getKey();
                RequestCore.Outcome outcome = completed.get(key);
                if (outcome == null) {
                    assertThat(crashedClients).as("%s (deadline %s) never completed, its client still runs", key, entry.getValue())
                            .contains(key.client());
                    continue;
                }
                switch (outcome) {
                    case RequestCore.Outcome.Replied r -> {
                        replied++;
                        assertThat(ran).as("%s got a reply without running", key).containsKey(key);
                    }
                    case RequestCore.Outcome.Failed f -> {
                        assertThat(f.failure()).isNotInstanceOf(IridiumException.Closed.class);
                        failures.merge(f.failure().getClass().getSimpleName(), 1, Integer::sum);
                    }
                }
            }
            System.out.printf("seed %d: %d requests, %d replied, %d ran, failures %s%n", sim.seed(), submitted.size(),
                    replied, ran.size(), failures);
            assertThat(replied).as("replies").isGreaterThan(submitted.size() / 5);
            assertThat(failures).as("failure kinds seen").containsKeys("TimedOut", "Overloaded");
        }

        private void install(NodeContext context, int index) {
            Host host = new Host(context, index);
            hosts.put(context.node(), host);
        }

        /** One incarnation of a node: SWIM, registry, the request core and a tiny server. */
        private final class Host {
            final NodeContext context;
            final NodeId self;
            final SimNode node;
            final boolean serves;
            final Registry registry;
            final Swim swim;
            final RequestCore core;
            final Outbox<Frame> frames;
            final RandomGenerator random;
            long nextId = 1;
            int running;

            Host(NodeContext context, int index) {
                this.context = context;
                this.self = context.id();
                this.node = context.node();
                this.serves = serverIndexes.contains(index);
                this.random = context.environment().random();
                this.frames = context.outbox(REQUEST_CHANNEL, RequestFrameCodec::encode, RequestFrameCodec::kind);
                registry = new Registry(REGISTRY, self, context.address(), context.environment(),
                        context.outbox(REGISTRY_CHANNEL, RegistryCodec::encode, m -> "registry"));
                RouteTable routes = new RouteTable() {
                    @Override
                    public List<Target> servers(String cluster) {
                        return registry.routes().membersOf(cluster).stream().map(r -> new Target(r.node(), r.address())).toList();
                    }

                    @Override
                    public List<Target> subscribers(String subject) {
                        return List.of();
                    }
                };
                core = new RequestCore(self, () -> routes, () -> context.environment().nowMillis() * 1_000_000L, random,
                        this::send, this::runLocally, this::completed);
                Member member = new Member(self, context.name(), context.address(), 0, MemberState.ALIVE);
                swim = new Swim(SWIM, member, context.environment(),
                        context.outbox(SWIM_CHANNEL, SwimCodec::encode, m -> "swim"), this::onMembership);
                context.register(SWIM_CHANNEL, (from, payload) -> swim.receive(from, SwimCodec.decode(payload)));
                context.register(REGISTRY_CHANNEL, (from, payload) -> registry.receive(from, RegistryCodec.decode(payload)));
                context.register(REQUEST_CHANNEL, (from, payload) -> receive(from, RequestFrameCodec.decode(payload)));
                context.onTick(swim::tick);
                context.onTick(registry::tick);
                context.onTick(() -> core.tick(now()));
                context.expose(Registry.class, registry);
                if (serves) {
                    registry.publishLocal(Map.of(CLUSTER, SERVER_LIMIT), Set.of());
                }
                for (SimNode candidate : nodes) {
                    if (candidate != node && candidate.isUp()) {
                        swim.join(candidate.address());
                        break;
                    }
                }
            }

            long now() {
                return context.environment().nowMillis();
            }

            /** Whether this incarnation still runs (a scheduled action of a crashed one does nothing). */
            boolean current() {
                return node.isUp() && node.id().equals(self);
            }

            void submit(long timeoutMillis) {
                long id = nextId++;
                Key key = new Key(self, id);
                submitted.put(key, now() + timeoutMillis);
                core.submit(id, CLUSTER, ("r" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8), now() + timeoutMillis, now());
            }

            void onMembership(MembershipEvent event) {
                Member member = event.member();
                switch (event) {
                    case MembershipEvent.Joined joined -> registry.memberUp(member.id(), member.address());
                    case MembershipEvent.Alive alive -> registry.memberUp(member.id(), member.address());
                    case MembershipEvent.Suspected suspected -> { }
                    case MembershipEvent.Failed failed -> {
                        registry.memberDown(member.id());
                        core.memberDown(member.id());
                    }
                    case MembershipEvent.Left left -> {
                        registry.memberDown(member.id());
                        core.memberDown(member.id());
                    }
                }
            }

            // ---- client side -------------------------------------------------------------------

            SendResult send(Target to, WireMessage.Request request) {
                if (random.nextInt(50) == 0) {
                    return SendResult.BACK_PRESSURE; // the outbound queue is full: the frame never left
                }
                frames.send(to.address(), new Frame(self, to.id(), request));
                return SendResult.QUEUED;
            }

            boolean runLocally(long id, String cluster, byte[] body, long deadlineMillis) {
                if (!serves || running >= SERVER_LIMIT) {
                    return false;
                }
                running++;
                sim.schedule(SERVICE_MILLIS + random.nextInt(SERVICE_MILLIS), () -> {
                    if (!current()) {
                        return;
                    }
                    running--;
                    if (now() > deadlineMillis) {
                        core.onExpiredLocally(id);
                        return;
                    }
                    ran.merge(new Key(self, id), 1, Integer::sum);
                    core.onReply(self, id, body);
                });
                return true;
            }

            void completed(long id, RequestCore.Outcome outcome) {
                Key key = new Key(self, id);
                if (completed.putIfAbsent(key, outcome) != null) {
                    violations.add(key + " completed twice: " + completed.get(key) + " then " + outcome);
                }
                Long deadline = submitted.get(key);
                if (deadline == null) {
                    violations.add(key + " completed but never submitted");
                } else if (now() > deadline + SWIM.tickMillis()) {
                    violations.add(key + " completed at " + now() + ", past its deadline " + deadline + " and a tick");
                }
                String kind = switch (outcome) {
                    case RequestCore.Outcome.Replied r -> "replied";
                    case RequestCore.Outcome.Failed f -> f.failure().getClass().getSimpleName();
                };
                log.add(sim.now() + " " + context.name() + " " + id + " " + kind);
            }

            // ---- both sides --------------------------------------------------------------------

            void receive(Endpoint from, Frame frame) {
                if (!frame.to().equals(self)) {
                    return; // meant for an earlier incarnation at this address: no connection would carry it
                }
                switch (frame.message()) {
                    case WireMessage.Request request -> serve(from, frame.from(), request);
                    case WireMessage.Reply reply -> core.onReply(frame.from(), reply.id(), reply.body());
                    case WireMessage.Failed failed -> core.onFailed(frame.from(), failed.id(), failed.message());
                    case WireMessage.Refused refused -> core.onRefused(frame.from(), refused.id(), refused.reason(), now());
                    default -> throw new IllegalStateException("unexpected " + frame.message());
                }
            }

            /** The server side: refuse, or run once after a delay and answer. */
            void serve(Endpoint clientAddress, NodeId client, WireMessage.Request request) {
                if (!serves || !request.cluster().equals(CLUSTER)) {
                    answer(clientAddress, client, new WireMessage.Refused(request.id(), WireMessage.Refused.Reason.NOT_MEMBER));
                    return;
                }
                if (running >= SERVER_LIMIT) {
                    answer(clientAddress, client, new WireMessage.Refused(request.id(), WireMessage.Refused.Reason.OVERLOADED));
                    return;
                }
                running++;
                long deadline = now() + request.timeoutMillis();
                sim.schedule(SERVICE_MILLIS + random.nextInt(SERVICE_MILLIS), () -> {
                    if (!current()) {
                        return;
                    }
                    running--;
                    if (now() > deadline) {
                        answer(clientAddress, client, new WireMessage.Refused(request.id(), WireMessage.Refused.Reason.EXPIRED));
                        return;
                    }
                    ran.merge(new Key(client, request.id()), 1, Integer::sum);
                    answer(clientAddress, client, random.nextInt(20) == 0
                            ? new WireMessage.Failed(request.id(), "the handler threw")
                            : new WireMessage.Reply(request.id(), request.body()));
                });
            }

            void answer(Endpoint to, NodeId client, WireMessage message) {
                frames.send(to, new Frame(self, client, message));
            }
        }
    }
}
