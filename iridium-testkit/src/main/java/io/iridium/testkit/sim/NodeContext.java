package io.iridium.testkit.sim;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.env.Environment;
import io.iridium.env.Outbox;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * What a {@link NodeSetup} gets to wire one incarnation of a node's protocol cores: the node's
 * identity and address, an {@link Environment} (virtual time plus the node's clock skew, and
 * the incarnation's seeded generator), outboxes that encode and send on a channel, and hooks for
 * ticks, inbound datagrams and components that tests look up. Everything obtained from a context
 * goes quiet when its incarnation crashes: sends are dropped, ticks stop.
 */
public final class NodeContext {

    private final SimNode node;
    private final int generation;
    private final Environment environment;

    NodeContext(SimNode node, int generation) {
        this.node = node;
        this.generation = generation;
        this.environment = new Environment() {
            @Override
            public long nowMillis() {
                return node.clockMillis();
            }

            @Override
            public RandomGenerator random() {
                return node.random();
            }
        };
    }

    public NodeId id() {
        return node.id();
    }

    public String name() {
        return node.name();
    }

    public Endpoint address() {
        return node.address();
    }

    public SimNode node() {
        return node;
    }

    public Environment environment() {
        return environment;
    }

    /**
     * An outbox that encodes each message at once and sends it to {@code channel} of the
     * addressee; {@code kind} labels it in {@link TrafficStats} and the trace.
     */
    public <M> Outbox<M> outbox(int channel, Function<? super M, byte[]> encoder, Function<? super M, String> kind) {
        return (to, message) -> {
            if (node.isCurrent(generation)) {
                node.simulation().send(node, to, channel, kind.apply(message), encoder.apply(message));
            }
        };
    }

    /** Routes datagrams addressed to {@code channel} of this node to {@code handler}. */
    public void register(int channel, DatagramHandler handler) {
        node.register(channel, handler);
    }

    /** Calls {@code ticker} every {@link Simulation#tickMillis()} while this incarnation runs. */
    public void onTick(Runnable ticker) {
        node.onTick(ticker);
    }

    /** Makes {@code component} available through {@link SimNode#component(Class)}. */
    public <T> void expose(Class<T> type, T component) {
        node.expose(type, component);
    }

    /** Whether {@link #trace(String)} records anything (skip building lines when not). */
    public boolean isTracing() {
        return node.simulation().trace().isEnabled();
    }

    /** Adds a line to the simulation trace, attributed to this node, if this incarnation still runs. */
    public void trace(String event) {
        if (node.isCurrent(generation)) {
            node.simulation().record(node.name(), event);
        }
    }
}
