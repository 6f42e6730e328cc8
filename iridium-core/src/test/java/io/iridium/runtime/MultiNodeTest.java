package io.iridium.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.security.NetworkKey;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real nodes in one JVM over loopback: real sockets, real TLS with a generated network key, real
 * sealed datagrams. Proves the foundation end to end: join, failure detection, graceful leave,
 * and the data plane.
 */
class MultiNodeTest {
    static final Duration CONVERGE = LocalNetwork.WAIT;

    final LocalNetwork local = new LocalNetwork();

    @AfterEach
    void stopAll() {
        local.close();
    }

    NodeRuntime start(String name, List<Endpoint> seeds) {
        return local.start(name, seeds);
    }

    NodeRuntime start(String name, List<Endpoint> seeds, Path key) {
        return local.start(Config.builder().keyFile(key).name(name).seeds(seeds));
    }

    List<NodeRuntime> startNetwork(int size) {
        return local.startNetwork("n", size);
    }

    static long live(NodeRuntime node) {
        return LocalNetwork.live(node);
    }

    static void awaitLiveViews(List<NodeRuntime> network, int size) {
        LocalNetwork.awaitLiveViews(network, size);
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
        Path strangerKey = local.directory().resolve("stranger.pem");
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
