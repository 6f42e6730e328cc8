package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.env.Environment;
import io.iridium.env.Outbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A tiny in-test network of {@link Registry} cores for unit-level scenarios: one seeded random
 * source, virtual time in 100 ms ticks, and a message pool delivered in random order with a
 * configurable loss rate. Every message travels encoded (so the codec and the size limit are
 * exercised on each one). Membership is whatever the test says: {@link #connectAll()} reports
 * every node up to every other.
 */
final class TestNetwork {

    static final long TICK_MILLIS = 100;

    record Envelope(Endpoint from, Endpoint to, byte[] bytes) {}

    final class Node {
        final NodeId id;
        final Endpoint address;
        final Registry registry;
        boolean up = true;

        Node(NodeId id, Endpoint address, RegistryConfig config) {
            this.id = id;
            this.address = address;
            this.registry = new Registry(config, id, address, environment, outbox(address));
        }
    }

    final SplittableRandom random;
    final RegistryConfig config;
    final Map<Endpoint, Node> nodes = new LinkedHashMap<>();
    final List<Envelope> inFlight = new ArrayList<>();
    final List<Envelope> sent = new ArrayList<>();
    double dropProbability;
    long now = 1_000_000;
    final Environment environment = new Environment() {
        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }
    };

    TestNetwork(long seed, RegistryConfig config) {
        this.random = new SplittableRandom(seed);
        this.config = config;
    }

    Node add() {
        int index = nodes.size();
        Endpoint address = new Endpoint("10.0.0." + (index + 1), 7946);
        Node node = new Node(NodeId.random(random), address, config);
        nodes.put(address, node);
        return node;
    }

    List<Node> add(int count) {
        List<Node> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            added.add(add());
        }
        return added;
    }

    List<Node> live() {
        return nodes.values().stream().filter(n -> n.up).toList();
    }

    void connectAll() {
        for (Node a : live()) {
            for (Node b : live()) {
                a.registry.memberUp(b.id, b.address);
            }
        }
    }

    /** Crashes {@code victim}: it stops, and every other node hears it is down. */
    void crash(Node victim) {
        victim.up = false;
        for (Node other : live()) {
            other.registry.memberDown(victim.id);
        }
    }

    private Outbox<RegistryMessage> outbox(Endpoint from) {
        return (to, message) -> {
            byte[] bytes = RegistryCodec.encode(message);
            assertThat(bytes.length).as("encoded %s", message.getClass().getSimpleName())
                    .isLessThanOrEqualTo(config.maxMessageBytes());
            Envelope envelope = new Envelope(from, to, bytes);
            sent.add(envelope);
            inFlight.add(envelope);
        };
    }

    /** Delivers everything in flight, and what that causes, in random order, with loss. */
    void deliverAll() {
        while (!inFlight.isEmpty()) {
            Envelope next = inFlight.remove(random.nextInt(inFlight.size()));
            Node target = nodes.get(next.to());
            if (target == null || !target.up || random.nextDouble() < dropProbability) {
                continue;
            }
            try {
                target.registry.receive(next.from(), RegistryCodec.decode(next.bytes()));
            } catch (MalformedRegistryMessageException e) {
                throw new AssertionError("our own message did not decode: " + e.getMessage(), e);
            }
        }
    }

    /** Advances virtual time by whole ticks, ticking every live node and delivering after each tick. */
    void run(long millis) {
        for (long t = 0; t < millis; t += TICK_MILLIS) {
            now += TICK_MILLIS;
            for (Node node : live()) {
                node.registry.tick();
            }
            deliverAll();
        }
    }

    /** Whether every live node has the same clusters and subscriptions in its routes. */
    boolean converged() {
        Routes first = null;
        for (Node node : live()) {
            Routes routes = node.registry.routes();
            if (first == null) {
                first = routes;
            } else if (!routes.clusters().equals(first.clusters()) || !routes.subscriptions().equals(first.subscriptions())
                    || !routes.advertisements().equals(first.advertisements())) {
                return false;
            }
        }
        return true;
    }

    /** Runs until {@link #converged()} and the extra condition hold, for at most {@code maxMillis}. */
    boolean runUntilConverged(long maxMillis, java.util.function.BooleanSupplier also) {
        for (long t = 0; t <= maxMillis; t += TICK_MILLIS) {
            if (converged() && also.getAsBoolean()) {
                return true;
            }
            run(TICK_MILLIS);
        }
        return false;
    }
}
