package io.iridium.testkit.sim.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.discovery.Discovery;
import io.iridium.discovery.DiscoveryConfig;
import io.iridium.discovery.SwimJoiner;
import io.iridium.membership.Swim;
import io.iridium.membership.SwimCodec;
import io.iridium.membership.SwimConfig;
import io.iridium.testkit.sim.NodeContext;
import io.iridium.testkit.sim.SimNode;
import io.iridium.testkit.sim.Simulation;
import io.iridium.testkit.sim.junit.SimSeed;
import io.iridium.testkit.sim.junit.SimSeedExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Discovery and SWIM together in the simulator, the same classes as in the runtime: nodes that
 * know only a seed address find the network through {@link Discovery}'s retries, even when the
 * seed starts last and datagrams are lost, and a node cut off by a partition rejoins through its
 * seed after the heal.
 */
@ExtendWith(SimSeedExtension.class)
class DiscoverySimulationTest {
    private static final int CHANNEL = 1;
    private static final SwimConfig SWIM = SwimConfig.lan();

    /** A network of nodes that each know the same one seed address, and nothing else. */
    private static final class SeededNetwork {
        final Simulation sim;
        final Endpoint seedAddress = new Endpoint("10.0.0.1", 7946);
        final List<SimNode> nodes = new ArrayList<>();

        SeededNetwork(long seed) {
            sim = new Simulation(seed);
            sim.setTickMillis(SWIM.tickMillis());
        }

        SimNode add(int index) {
            Endpoint address = new Endpoint("10.0.0." + (index + 1), 7946);
            SimNode node = sim.addNode("n" + index, address, 0, this::install);
            nodes.add(node);
            return node;
        }

        private void install(NodeContext context) {
            Member self = new Member(context.id(), context.name(), context.address(), 0, MemberState.ALIVE);
            Swim swim = new Swim(SWIM, self, context.environment(), context.outbox(CHANNEL, SwimCodec::encode, m -> "swim"), event -> { });
            Discovery discovery = new Discovery(DiscoveryConfig.defaults(), context.environment(), context.address(), new SwimJoiner(swim));
            discovery.addCandidates(Discovery.Source.SEED, List.of(seedAddress));
            context.register(CHANNEL, (from, payload) -> swim.receive(from, SwimCodec.decode(payload)));
            context.onTick(() -> {
                swim.tick();
                discovery.tick();
            });
            context.expose(Swim.class, swim);
        }

        boolean everyoneSees(int size) {
            return nodes.stream().filter(SimNode::isUp).allMatch(n ->
                    n.component(Swim.class).members().stream().filter(m -> m.state().isLive()).count() == size);
        }
    }

    @Test
    void nodesKnowingOnlyASeed_joinOnceItStarts_despiteLoss(SimSeed seed) {
        SeededNetwork network = new SeededNetwork(seed.value());
        network.sim.setConditions(network.sim.conditions().withDrop(0.05));
        for (int i = 1; i < 20; i++) {
            network.add(i);
        }
        network.sim.runFor(20_000); // the seed is not up yet: every join attempt fails, with back-off
        assertThat(network.everyoneSees(1)).as("nobody can find anybody without the seed").isTrue();
        network.add(0);
        assertThat(network.sim.runUntil(() -> network.everyoneSees(20), 120_000, 500))
                .as("all twenty find each other through the late seed").isTrue();
    }

    @Test
    void partitionedSeedling_rejoinsThroughItsSeed_afterTheHeal(SimSeed seed) {
        SeededNetwork network = new SeededNetwork(seed.value());
        for (int i = 0; i < 10; i++) {
            network.add(i);
            network.sim.runFor(50);
        }
        assertThat(network.sim.runUntil(() -> network.everyoneSees(10), 60_000, 500)).isTrue();
        List<SimNode> island = network.nodes.subList(7, 10);
        List<SimNode> mainland = network.nodes.subList(0, 7);
        network.sim.partition(island, mainland);
        assertThat(network.sim.runUntil(() -> mainland.stream().allMatch(n -> live(n) == 7)
                && island.stream().allMatch(n -> live(n) == 3), 120_000, 500))
                .as("each side declares the other failed").isTrue();
        network.sim.heal();
        assertThat(network.sim.runUntil(() -> network.everyoneSees(10), 120_000, 500))
                .as("the network reconverges after the heal").isTrue();
    }

    @Test
    void sameSeed_sameTrace(SimSeed seed) {
        List<String> first = run(seed.value());
        List<String> second = run(seed.value());
        assertThat(second).isEqualTo(first).isNotEmpty();
    }

    private static List<String> run(long seed) {
        SeededNetwork network = new SeededNetwork(seed);
        network.sim.setTracing(true);
        network.sim.setTraceMessages(true);
        network.sim.setConditions(network.sim.conditions().withDrop(0.02));
        for (int i = 1; i < 8; i++) {
            network.add(i);
        }
        network.sim.runFor(5_000);
        network.add(0);
        network.sim.runFor(30_000);
        return List.copyOf(network.sim.trace().lines());
    }

    private static long live(SimNode node) {
        return node.component(Swim.class).members().stream().filter(m -> m.state().isLive()).count();
    }
}
