package io.iridium.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.testkit.sim.junit.SimSeed;
import io.iridium.testkit.sim.junit.SimSeedExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulator itself, with a trivial core that sends a numbered datagram to a peer every tick. */
@ExtendWith(SimSeedExtension.class)
class SimulationTest {

    private static final int CHANNEL = 7;

    /** Records every datagram received, with its arrival time; sends "tick n" to {@code peer} each tick. */
    private static final class Chatter {
        final List<String> received = new ArrayList<>();
        final List<Long> clockReadings = new ArrayList<>();
        int ticks;
    }

    private static NodeSetup chatter(Simulation sim, Endpoint peer) {
        return context -> {
            Chatter chatter = new Chatter();
            var outbox = context.<String>outbox(CHANNEL, s -> s.getBytes(StandardCharsets.UTF_8), s -> "chat");
            context.register(CHANNEL, (from, payload) -> {
                String text = new String(payload, StandardCharsets.UTF_8);
                if (text.equals("bad")) {
                    throw new Exception("rejected");
                }
                chatter.received.add(sim.now() + ":" + text);
            });
            context.onTick(() -> {
                chatter.clockReadings.add(context.environment().nowMillis() - sim.now());
                if (peer != null) {
                    outbox.send(peer, "tick " + chatter.ticks);
                }
                chatter.ticks++;
            });
            context.expose(Chatter.class, chatter);
        };
    }

    private static Endpoint at(int i) {
        return new Endpoint("10.9.0." + i, 1);
    }

    @Test
    void ticks_everyTickMillisOfVirtualTime_andClocksCarryTheirSkew(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        SimNode node = sim.addNode("a", at(1), -250, chatter(sim, null));
        sim.runFor(10_000);

        Chatter chatter = node.component(Chatter.class);
        assertThat(chatter.ticks).isBetween(99, 100);
        assertThat(chatter.clockReadings).containsOnly(-250L);
    }

    @Test
    void network_deliversWithLatency_countsSealedBytes(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        sim.addNode("a", at(1), 0, chatter(sim, at(2)));
        SimNode b = sim.addNode("b", at(2), 0, chatter(sim, null));
        sim.runFor(1_000);

        assertThat(b.component(Chatter.class).received).hasSizeBetween(9, 10);
        TrafficStats traffic = sim.traffic();
        assertThat(traffic.byKind().get("chat").bytes())
                .isEqualTo(traffic.datagramsSent() * (6 + Simulation.SEALED_ENVELOPE_OVERHEAD_BYTES));
    }

    @Test
    void loss_dropsAboutTheConfiguredShare(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        sim.setConditions(NetworkConditions.lan().withDrop(0.2));
        sim.addNode("a", at(1), 0, chatter(sim, at(2)));
        SimNode b = sim.addNode("b", at(2), 0, chatter(sim, null));
        sim.runFor(200_000);

        double delivered = b.component(Chatter.class).received.size() / (double) sim.traffic().datagramsSent();
        assertThat(delivered).isBetween(0.77, 0.83);
    }

    @Test
    void partition_blocksBothWays_untilHealed(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        SimNode a = sim.addNode("a", at(1), 0, chatter(sim, at(2)));
        SimNode b = sim.addNode("b", at(2), 0, chatter(sim, at(1)));
        sim.runFor(1_000);
        sim.partition(List.of(a), List.of(b));
        sim.runFor(10);
        int before = b.component(Chatter.class).received.size();
        sim.runFor(5_000);
        assertThat(b.component(Chatter.class).received).hasSize(before);

        sim.heal();
        sim.runFor(1_000);
        assertThat(b.component(Chatter.class).received.size()).isGreaterThan(before);
        assertThat(a.component(Chatter.class).received.size()).isGreaterThan(before);
    }

    @Test
    void crash_losesStateAndStopsEverything_restart_isANewIdentity(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        sim.addNode("a", at(1), 0, chatter(sim, at(2)));
        SimNode b = sim.addNode("b", at(2), 0, chatter(sim, null));
        sim.runFor(1_000);
        NodeId first = b.id();

        sim.crash(b);
        assertThatThrownBy(() -> b.component(Chatter.class)).isInstanceOf(IllegalStateException.class);
        sim.runFor(1_000);
        assertThat(sim.traffic().undeliverable()).isGreaterThan(5);

        sim.restart(b);
        assertThat(b.id()).isNotEqualTo(first);
        assertThat(b.component(Chatter.class).received).isEmpty();
        sim.runFor(1_000);
        assertThat(b.component(Chatter.class).received).isNotEmpty();
    }

    @Test
    void malformedDatagram_isCountedAndTraced_notFatal(SimSeed seed) {
        Simulation sim = new Simulation(seed.value());
        SimNode a = sim.addNode("a", at(1), 0, context -> {
            var outbox = context.<String>outbox(CHANNEL, s -> s.getBytes(StandardCharsets.UTF_8), s -> "bad");
            context.onTick(() -> outbox.send(at(2), "bad"));
        });
        SimNode b = sim.addNode("b", at(2), 0, chatter(sim, null));
        sim.runFor(500);

        assertThat(b.malformedDatagrams()).isGreaterThan(0);
        assertThat(sim.trace().lines()).anyMatch(l -> l.contains("malformed"));
        assertThat(a.isUp()).isTrue();
    }

    @Test
    void sameSeed_sameTrace_evenWithDuplicationAndReordering(SimSeed seed) {
        assertThat(run(seed.value())).isEqualTo(run(seed.value()));
    }

    private static List<String> run(long seed) {
        Simulation sim = new Simulation(seed);
        sim.setTraceMessages(true);
        sim.setConditions(NetworkConditions.lan().withDrop(0.1).withDuplicationAndReordering(0.1, 0.3, 50));
        for (int i = 1; i <= 5; i++) {
            sim.addNode("n" + i, at(i), i * 7, chatter(sim, at(i % 5 + 1)));
        }
        sim.runFor(3_000);
        sim.crash(sim.nodes().get(2));
        sim.runFor(1_000);
        List<String> lines = new ArrayList<>(sim.trace().lines());
        for (SimNode node : sim.nodes()) {
            if (node.isUp()) {
                lines.addAll(node.component(Chatter.class).received);
            }
        }
        return lines;
    }
}
