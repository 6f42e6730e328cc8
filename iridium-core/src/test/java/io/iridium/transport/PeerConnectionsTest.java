package io.iridium.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.security.NetworkKey;
import io.iridium.security.TlsContexts;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data-plane transport on its own, without membership: connections on demand, idle close,
 * bounded queues and back-off against an unreachable peer.
 */
class PeerConnectionsTest {
    static NetworkKey key;
    final EventLoopGroup group = NettyTransports.best().newGroup(2, new DefaultThreadFactory("pc-test", true));
    final List<PeerConnections> transports = new ArrayList<>();
    final SplittableRandom random = new SplittableRandom(42);

    @BeforeAll
    static void key() {
        key = NetworkKey.generate("transport-test");
    }

    @AfterEach
    void close() {
        transports.forEach(PeerConnections::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    record Started(PeerConnections transport, NodeId id, Endpoint address, SimpleMeterRegistry registry) {}

    Started start(TransportConfig config, InboundListener listener) throws Exception {
        NodeId id = new NodeId(random.nextLong(), random.nextLong());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PeerConnections transport = new PeerConnections(new PeerConnections.LocalIdentity(id, "t", new Endpoint("127.0.0.1", 0)),
                config, group, NettyTransports.best(), TlsContexts.server(key), TlsContexts.client(key), listener, registry);
        InetSocketAddress bound = transport.listen(new InetSocketAddress("127.0.0.1", 0));
        Endpoint address = new Endpoint("127.0.0.1", bound.getPort());
        transport.advertise(address);
        transports.add(transport);
        return new Started(transport, id, address, registry);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void send_opensAConnectionOnDemand_andClosesItWhenIdle() throws Exception {
        TransportConfig config = TransportConfig.defaults(64 * 1024, Duration.ofMillis(300));
        ConcurrentLinkedQueue<WireMessage> received = new ConcurrentLinkedQueue<>();
        Started a = start(config, (from, m) -> { });
        Started b = start(config, (from, m) -> received.add(m));
        assertThat(a.transport().isConnected(b.id())).isFalse();
        assertThat(a.transport().send(b.id(), b.address(), new WireMessage.Payload(1, new byte[] {1, 2, 3}))).isEqualTo(SendResult.QUEUED);
        await("the frame arrives", () -> received.size() == 1);
        assertThat(a.transport().isConnected(b.id())).isTrue();
        await("the idle connection closes", () -> !a.transport().isConnected(b.id()) && !b.transport().isConnected(a.id()));
        assertThat(a.registry().counter("iridium.connections.idle.closed").count() + b.registry().counter("iridium.connections.idle.closed").count())
                .isPositive();
        assertThat(a.transport().send(b.id(), b.address(), new WireMessage.Payload(2, new byte[0]))).isEqualTo(SendResult.QUEUED);
        await("a new connection opens on the next send", () -> received.size() == 2);
    }

    @Test
    void unreachablePeer_queueIsBounded_andDialsBackOff() throws Exception {
        TransportConfig config = new TransportConfig(64 * 1024, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                256 * 1024, Duration.ofMillis(200), Duration.ofSeconds(2));
        Started a = start(config, (from, m) -> { });
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Endpoint nowhere = new Endpoint("127.0.0.1", closedPort);
        NodeId ghost = new NodeId(1, 2);
        SendResult result = SendResult.QUEUED;
        int sent = 0;
        while (result == SendResult.QUEUED && sent < 1_000) {
            result = a.transport().send(ghost, nowhere, new WireMessage.Payload(sent, new byte[4096]));
            sent++;
        }
        assertThat(result).isEqualTo(SendResult.BACK_PRESSURE);
        assertThat(sent).as("messages queued before back-pressure").isBetween(50, 70);
        long start = System.nanoTime();
        await("several failed dials", () -> a.registry().counter("iridium.connections.dial.failures").count() >= 4);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // back-off: 4 failures need at least ~0.1 + 0.2 + 0.4 s of waiting with half-jitter
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
        a.transport().forget(ghost);
        assertThat(a.transport().send(ghost, nowhere, new WireMessage.Payload(0, new byte[4096]))).isEqualTo(SendResult.QUEUED);
    }
}
