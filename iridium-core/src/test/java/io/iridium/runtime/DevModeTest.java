package io.iridium.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.discovery.LoopbackRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dev mode: nodes on one machine find each other with no flags, and never leave loopback. */
class DevModeTest {
    final List<NodeRuntime> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(NodeRuntime::crash);
    }

    @Test
    void devNodes_findEachOther_withNoOtherSetting() {
        for (int i = 0; i < 3; i++) {
            nodes.add((NodeRuntime) Iridium.start(Config.builder().dev(true).name("dev" + i).build()));
        }
        for (NodeRuntime node : nodes) {
            assertThat(node.address().host()).isEqualTo("127.0.0.1");
            assertThat(LoopbackRange.contains(node.address())).isTrue();
        }
        // other dev nodes on this machine may join too: that is the point of dev mode
        List<io.iridium.NodeId> ours = nodes.stream().map(NodeRuntime::id).toList();
        Eventually.await(Duration.ofSeconds(10), "three dev nodes see each other",
                () -> nodes.stream().allMatch(n -> n.members().stream()
                        .filter(m -> m.state().isLive()).map(io.iridium.Member::id).toList().containsAll(ours)));
    }

    @Test
    void plaintextDevNodes_exchangeRequestsWithoutTls() {
        NodeRuntime first = startPlaintext("plain0", List.of());
        NodeRuntime second = startPlaintext("plain1", List.of(first.address()));
        second.register("plain-echo", new io.iridium.ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                return request;
            }
        });
        LocalNetwork.awaitServers(List.of(first, second), "plain-echo", 1);
        assertThat(first.request("plain-echo", new byte[] {7, 8}, Duration.ofSeconds(10))).containsExactly(7, 8);
    }

    @Test
    void plaintextDevNodes_tunnelFullChunksFromAReusedArray_arriveIntact() {
        // without TLS the transport copies a chunk's recycled array (TunnelChunks) into the socket's buffer
        NodeRuntime first = startPlaintext("plain2", List.of());
        NodeRuntime second = startPlaintext("plain3", List.of(first.address()));
        List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        second.register("plain-sink", new io.iridium.ServiceHandler() {
            @Override
            public void handleTunnel(io.iridium.Tunnel tunnel) {
                for (byte[] m; (m = tunnel.receive(Duration.ofSeconds(30))) != null; ) {
                    received.add(m);
                }
                tunnel.close();
            }
        });
        LocalNetwork.awaitServers(List.of(first, second), "plain-sink", 1);
        int count = 200;
        byte[] reused = new byte[64 * 1024];
        try (io.iridium.Tunnel tunnel = first.tunnel("plain-sink", Duration.ofSeconds(10))) {
            for (int i = 0; i < count; i++) {
                java.util.Arrays.fill(reused, (byte) i);
                tunnel.send(reused, Duration.ofSeconds(10));
            }
            tunnel.closeSend();
            assertThat(tunnel.receive(Duration.ofSeconds(30))).as("the far side's end").isNull();
        }
        assertThat(received).hasSize(count);
        for (int i = 0; i < count; i++) {
            byte[] expected = new byte[64 * 1024];
            java.util.Arrays.fill(expected, (byte) i);
            assertThat(java.util.Arrays.mismatch(received.get(i), expected)).as("first wrong byte of message %d", i).isEqualTo(-1);
        }
    }

    /** A dev-mode node without TLS on loopback, stopped after the test. */
    private NodeRuntime startPlaintext(String name, List<Endpoint> seeds) {
        NodeRuntime node = (NodeRuntime) Iridium.start(Config.builder().dev(true).plaintext(true)
                .bind(new Endpoint("127.0.0.1", 0)).seeds(seeds).name(name).build());
        nodes.add(node);
        return node;
    }

    @Test
    void plaintext_isRefusedOutsideDevMode() {
        assertThatThrownBy(() -> Config.builder().keyFile(java.nio.file.Path.of("network.pem")).plaintext(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev mode");
    }

    @Test
    void devMode_refusesANonLoopbackBindAddress() {
        assertThatThrownBy(() -> Iridium.start(Config.builder().dev(true).bind(new Endpoint("0.0.0.0", 0)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
