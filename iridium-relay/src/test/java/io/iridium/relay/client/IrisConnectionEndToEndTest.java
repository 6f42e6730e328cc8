package io.iridium.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.IridiumException;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.runtime.Eventually;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two relay clients attached to two different nodes of a three-node network, talking through the
 * fabric with {@link IrisConnection}: requests, faults, broadcasts, events and a tunnel of several
 * megabytes.
 */
class IrisConnectionEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static LocalNetwork network;
    private static List<NodeRuntime> nodes;
    private static RelayServer relayA;
    private static RelayServer relayC;

    @BeforeAll
    static void start() {
        network = new LocalNetwork();
        nodes = network.startNetwork("e2e", 3);
        relayA = RelayServer.start(nodes.get(0), RelayConfig.builder().address("127.0.0.1", 0).build());
        relayC = RelayServer.start(nodes.get(2), RelayConfig.builder().address("127.0.0.1", 0).build());
    }

    @AfterAll
    static void stop() {
        relayA.close();
        relayC.close();
        network.close();
    }

    @Test
    void requests_fromOneNodesRelay_reachAServiceOnAnothers_withRepliesAndFaults() {
        IrisServiceHandler upper = new IrisServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                String text = new String(request, StandardCharsets.UTF_8);
                if (text.equals("fail")) {
                    throw new IllegalArgumentException("asked to fail");
                }
                return text.toUpperCase().getBytes(StandardCharsets.UTF_8);
            }
        };
        try (IrisConnection service = IrisConnection.register(relayC.address(), "upper", upper);
             IrisConnection client = IrisConnection.connect(relayA.address())) {
            LocalNetwork.awaitServers(nodes, "upper", 1);
            for (int i = 0; i < 20; i++) {
                byte[] reply = client.request("upper", ("hello " + i).getBytes(StandardCharsets.UTF_8), TIMEOUT);
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("HELLO " + i);
            }
            assertThatThrownBy(() -> client.request("upper", "fail".getBytes(StandardCharsets.UTF_8), TIMEOUT))
                    .isInstanceOf(IridiumException.Remote.class).hasMessageContaining("asked to fail");
            assertThatThrownBy(() -> client.request("nobody", new byte[] {1}, Duration.ofMillis(200)))
                    .isInstanceOf(IridiumException.TimedOut.class);
        }
    }

    @Test
    void broadcasts_reachEveryRelayServiceOfTheCluster_onBothNodes() throws Exception {
        LinkedBlockingQueue<String> onA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> onC = new LinkedBlockingQueue<>();
        try (IrisConnection memberA = IrisConnection.register(relayA.address(), "group", collector(onA));
             IrisConnection memberC = IrisConnection.register(relayC.address(), "group", collector(onC));
             IrisConnection client = IrisConnection.connect(relayC.address())) {
            LocalNetwork.awaitServers(nodes, "group", 2);
            for (int i = 0; i < 10; i++) {
                client.broadcast("group", ("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(onA.poll(10, TimeUnit.SECONDS)).isEqualTo("b" + i);
                assertThat(onC.poll(10, TimeUnit.SECONDS)).isEqualTo("b" + i);
            }
        }
    }

    @Test
    void events_publishedThroughOneRelay_reachSubscribersOfTheOther_inOrder() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (IrisConnection subscriber = IrisConnection.connect(relayA.address());
             IrisConnection publisher = IrisConnection.connect(relayC.address())) {
            subscriber.subscribe("weather.oslo", event -> received.add(new String(event, StandardCharsets.UTF_8)));
            LocalNetwork.awaitSubscribers(nodes, "weather.oslo", 1);
            for (int i = 0; i < 200; i++) {
                publisher.publish("weather.oslo", ("e" + i).getBytes(StandardCharsets.UTF_8));
            }
            Eventually.await(LocalNetwork.WAIT, "200 events", () -> received.size() == 200);
            for (int i = 0; i < 200; i++) {
                assertThat(received.get(i)).isEqualTo("e" + i);
            }
            subscriber.unsubscribe("weather.oslo");
            LocalNetwork.awaitSubscribers(nodes, "weather.oslo", 0);
        }
    }

    @Test
    void tunnel_ofSeveralMegabytes_crossesTheNetwork_inOrderAndIntact() throws Exception {
        IrisServiceHandler echo = new IrisServiceHandler() {
            @Override
            public void handleTunnel(IrisTunnel tunnel) {
                try (tunnel) {
                    byte[] message;
                    while ((message = tunnel.receive(TIMEOUT)) != null) {
                        tunnel.send(message, TIMEOUT);
                    }
                } catch (IridiumException e) {
                    // the opener closed; the echo ends
                }
            }
        };
        try (IrisConnection service = IrisConnection.register(relayC.address(), "echo-tunnel", echo);
             IrisConnection client = IrisConnection.connect(relayA.address())) {
            LocalNetwork.awaitServers(nodes, "echo-tunnel", 1);
            IrisTunnel tunnel = client.tunnel("echo-tunnel", TIMEOUT);
            Random random = new Random(42);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            MessageDigest echoed = MessageDigest.getInstance("SHA-256");
            int[] sizes = {1, 65535, 65536, 65537, 100_000, 3 << 20, 1 << 20, 7};
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int size : sizes) {
                    byte[] message = new byte[size];
                    random.nextBytes(message);
                    sent.update(message);
                    tunnel.send(message, TIMEOUT);
                }
            });
            long total = 0;
            for (int size : sizes) {
                byte[] message = tunnel.receive(TIMEOUT);
                assertThat(message).hasSize(size);
                echoed.update(message);
                total += size;
            }
            sender.join();
            assertThat(total).isGreaterThan(4L << 20);
            assertThat(echoed.digest()).isEqualTo(sent.digest());
            tunnel.close();
        }
    }

    private static IrisServiceHandler collector(LinkedBlockingQueue<String> into) {
        return new IrisServiceHandler() {
            @Override
            public void handleBroadcast(byte[] message) {
                into.add(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
