package io.iridium.testkit.sim;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated process at a fixed address. While up it ticks its cores every
 * {@link Simulation#tickMillis()} of virtual time (its first tick at a random offset, so nodes
 * do not act in lockstep) and hands each arriving datagram to the core registered for its
 * channel. A crash discards the cores and bumps the node's generation, which silences every
 * tick and outbox of the old incarnation; a restart installs new cores under a new
 * {@link NodeId}. The clock skew is fixed per node: its cores read virtual time plus the skew.
 */
public final class SimNode {

    private final Simulation sim;
    private final String name;
    private final Endpoint address;
    private final long clockSkewMillis;
    private final NodeSetup setup;

    private NodeId id;
    private boolean up;
    private int generation;
    private SplittableRandom random;
    private final Map<Integer, DatagramHandler> handlers = new HashMap<>();
    private final List<Runnable> tickers = new ArrayList<>();
    private final Map<Class<?>, Object> components = new HashMap<>();
    private long malformed;

    SimNode(Simulation sim, String name, Endpoint address, long clockSkewMillis, NodeSetup setup) {
        this.sim = sim;
        this.name = name;
        this.address = address;
        this.clockSkewMillis = clockSkewMillis;
        this.setup = setup;
    }

    public String name() {
        return name;
    }

    public Endpoint address() {
        return address;
    }

    /** The identity of the current (or last) incarnation. */
    public NodeId id() {
        return id;
    }

    public boolean isUp() {
        return up;
    }

    public long clockSkewMillis() {
        return clockSkewMillis;
    }

    /** This node's clock: virtual time plus its skew. */
    public long clockMillis() {
        return sim.now() + clockSkewMillis;
    }

    /** Datagrams its cores rejected as malformed. */
    public long malformedDatagrams() {
        return malformed;
    }

    /**
     * The component of {@code type} that the current incarnation's setup exposed.
     *
     * @throws IllegalStateException when the node is down or exposed none
     */
    public <T> T component(Class<T> type) {
        Object component = components.get(type);
        if (component == null) {
            throw new IllegalStateException(name + " has no running " + type.getSimpleName());
        }
        return type.cast(component);
    }

    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------------------------------

    void start() {
        generation++;
        random = sim.splitRandom();
        id = NodeId.random(random);
        up = true;
        sim.record(name, "start " + id + " at " + address);
        setup.install(new NodeContext(this, generation));
        int startedGeneration = generation;
        sim.scheduleAt(sim.now() + random.nextLong(sim.tickMillis()) + 1, () -> tick(startedGeneration));
    }

    void halt(String why) {
        if (!up) {
            return;
        }
        up = false;
        generation++;
        handlers.clear();
        tickers.clear();
        components.clear();
        sim.record(name, why + " " + id);
    }

    private void tick(int tickGeneration) {
        if (!up || tickGeneration != generation) {
            return;
        }
        for (Runnable ticker : List.copyOf(tickers)) {
            if (tickGeneration != generation) {
                return;
            }
            ticker.run();
        }
        sim.scheduleAt(sim.now() + sim.tickMillis(), () -> tick(tickGeneration));
    }

    void deliver(Endpoint from, int channel, byte[] payload) {
        DatagramHandler handler = handlers.get(channel);
        if (handler == null) {
            return;
        }
        try {
            handler.receive(from, payload);
        } catch (RuntimeException | Error bug) {
            throw bug;
        } catch (Exception rejected) {
            malformed++;
            sim.record(name, "malformed from " + from + ": " + rejected.getMessage());
        }
    }

    boolean isCurrent(int contextGeneration) {
        return up && contextGeneration == generation;
    }

    Simulation simulation() {
        return sim;
    }

    SplittableRandom random() {
        return random;
    }

    void register(int channel, DatagramHandler handler) {
        if (handlers.putIfAbsent(channel, handler) != null) {
            throw new IllegalStateException(name + ": channel " + channel + " already has a core");
        }
    }

    void onTick(Runnable ticker) {
        tickers.add(ticker);
    }

    <T> void expose(Class<T> type, T component) {
        components.put(type, component);
    }
}
