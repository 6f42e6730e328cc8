package io.iridium.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Member;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.security.NetworkKey;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes in one JVM over loopback: real sockets, real TLS with a generated network key, real
 * sealed datagrams. Proves the foundation end to end: join, failure detection, graceful leave,
 * and the data plane.
 */
class MultiNodeTest {
    static final Duration CONVERGE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Path keyFile;
    final List<NodeRuntime> nodes = new ArrayList<>();

    @BeforeEach
    void writeKey() throws Exception {
        keyFile = dir.resolve("network.pem");
        NetworkKey.generate("test").write(keyFile, false);
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(NodeRuntime::crash);
    }

    NodeRuntime start(String name, List<Endpoint> seeds) {
        return start(name, seeds, keyFile);
    }

    NodeRuntime start(String name, List<Endpoint> seeds, Path key) {
        Config config = Config.builder()
                .keyFile(key)
                .bind(new Endpoint("127.0.0.1", 0))
                .seeds(seeds)
                .multicast(false)
                .name(name)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        NodeRuntime node = (NodeRuntime) Iridium.start(config);
        nodes.add(node);
        return node;
    }

    List<NodeRuntime> startNetwork(int size) {
        NodeRuntime first = start("n0", List.of());
        List<NodeRuntime> network = new ArrayList<>(List.of(first));
        for (int i = 1; i < size; i++) {
            network.add(start("n" + i, List.of(first.address())));
        }
        awaitLiveViews(network, size);
        return network;
    }

    static long live(NodeRuntime node) {
        return node.members().stream().filter(m -> m.state().isLive()).count();
    }

    static void awaitLiveViews(List<NodeRuntime> network, int size) {
        Eventually.await(CONVERGE, "every node sees " + size + " live members", () -> network.stream().allMatch(n -> live(n) == size),
                () -> network.stream().map(n -> n.self().name() + "=" + live(n)).collect(Collectors.joining(", ")));
    }

    @Test
    void fiveNodes_joinThroughOneSeed_convergeOverTls() {
        List<NodeRuntime> network = startNetwork(5);
        for (NodeRuntime node : network) {
            assertThat(node.members()).extracting(Member::id)
                    .containsExactlyInAnyOrderElementsOf(network.stream().map(NodeRuntime::id).toList());
        }
    }

    @Test
    void crashedNode_isDetectedAsFailed_byEveryOtherNode() {
        List<NodeRuntime> network = startNetwork(5);
        NodeRuntime victim = network.get(3);
        List<MembershipEvent> failures = new CopyOnWriteArrayList<>();
        List<NodeRuntime> survivors = network.stream().filter(n -> n != victim).toList();
        survivors.forEach(n -> n.onMembershipChange(e -> {
            if (e instanceof MembershipEvent.Failed && e.member().id().equals(victim.id())) {
                failures.add(e);
            }
        }));
        victim.crash();
        Eventually.await(CONVERGE, "all four survivors declare the crashed node failed", () -> failures.size() == 4);
        awaitLiveViews(survivors, 4);
    }

    @Test
    void gracefulClose_announcesLeft() {
        List<NodeRuntime> network = startNetwork(5);
        NodeRuntime leaver = network.get(1);
        List<MembershipEvent> lefts = new CopyOnWriteArrayList<>();
        List<NodeRuntime> stayers = network.stream().filter(n -> n != leaver).toList();
        stayers.forEach(n -> n.onMembershipChange(e -> {
            if (e instanceof MembershipEvent.Left && e.member().id().equals(leaver.id())) {
                lefts.add(e);
            }
        }));
        leaver.close();
        Eventually.await(Duration.ofSeconds(10), "all four see the node leave", () -> lefts.size() == 4);
        stayers.forEach(n -> assertThat(n.metrics().counter("iridium.membership.events", "type", "failed").count()).isZero());
    }

    @Test
    void dataPlane_deliversFramesInOrder_bothWays_overOneConnection() {
        List<NodeRuntime> network = startNetwork(2);
        NodeRuntime a = network.get(0);
        NodeRuntime b = network.get(1);
        ConcurrentLinkedQueue<Integer> atB = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> atA = new ConcurrentLinkedQueue<>();
        b.onFrame((from, m) -> atB.add(((WireMessage.Payload) m).channel()));
        a.onFrame((from, m) -> atA.add(((WireMessage.Payload) m).channel()));
        int count = 2_000;
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < count; i++) {
                assertThat(b.send(a.id(), new WireMessage.Payload(i, new byte[16]))).isEqualTo(SendResult.QUEUED);
            }
        });
        for (int i = 0; i < count; i++) {
            assertThat(a.send(b.id(), new WireMessage.Payload(i, new byte[16]))).isEqualTo(SendResult.QUEUED);
        }
        Eventually.await(CONVERGE, "both sides receive everything", () -> atA.size() == count && atB.size() == count);
        assertThat(List.copyOf(atB)).isSorted();
        assertThat(List.copyOf(atA)).isSorted();
        Eventually.await(CONVERGE, "simultaneous dials settle on one connection",
                () -> a.metrics().get("iridium.connections.active").gauge().value() == 1
                        && b.metrics().get("iridium.connections.active").gauge().value() == 1);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void strangerWithAnotherNetworksKey_isNeverAdmitted_andItsAttemptsAreCounted() throws Exception {
        List<NodeRuntime> network = startNetwork(3);
        Path strangerKey = dir.resolve("stranger.pem");
        NetworkKey.generate("elsewhere").write(strangerKey, false);
        NodeRuntime stranger = start("stranger", List.of(network.get(0).address()), strangerKey);
        NodeRuntime target = network.get(0);
        Eventually.await(CONVERGE, "the network rejects the stranger's sealed datagrams",
                () -> target.metrics().counter("iridium.membership.datagrams.rejected", "reason", "authentication_failed").count() > 0);
        // the stranger also tries the data plane with its own key
        stranger.connections().send(target.id(), target.address(), new WireMessage.Payload(1, new byte[1]));
        Eventually.await(CONVERGE, "the TLS handshake with the stranger is refused and counted",
                () -> target.metrics().counter("iridium.connections.rejected", "reason", "tls").count() > 0);
        for (NodeRuntime node : network) {
            assertThat(node.members()).extracting(Member::id).doesNotContain(stranger.id());
            assertThat(live(node)).isEqualTo(3);
        }
        assertThat(stranger.members()).extracting(Member::id).containsExactly(stranger.id());
    }

    @Test
    void restartedProcess_isANewIdentity() {
        List<NodeRuntime> network = startNetwork(3);
        NodeRuntime old = network.get(2);
        NodeId oldId = old.id();
        Endpoint oldAddress = old.address();
        old.crash();
        NodeRuntime reborn = start("n2-again", List.of(network.get(0).address()));
        assertThat(reborn.id()).isNotEqualTo(oldId);
        List<NodeRuntime> now = List.of(network.get(0), network.get(1), reborn);
        awaitLiveViews(now, 3);
        assertThat(oldAddress).isNotNull();
    }
}
