package io.iridium.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.IridiumException;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.Tunnel;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.WireBytes;
import io.iridium.relay.wire.WireLimits;
import io.iridium.runtime.Eventually;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's memory stays bounded whatever a client does: it sends tunnel data faster than the far
 * side takes it, it grants credit and stops reading, it lets replies pile up, or it is one slow
 * member of a cluster whose other members must not wait for it. Each test would grow the relay's
 * buffers without bound (or stall the other members) if the relay did not pace its side.
 */
class RelayFlowControlTest {
    private static final long MAX_OUTBOUND = 4L << 20;

    private static LocalNetwork network;
    private static NodeRuntime node;
    private static RelayServer relay;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        network = new LocalNetwork();
        node = network.start("flow-node", List.of());
        relay = RelayServer.start(node, RelayConfig.builder().address("127.0.0.1", 0).maxOutboundBytes(MAX_OUTBOUND).build());
        address = relay.address();
    }

    @AfterAll
    static void stop() {
        relay.close();
        network.close();
    }

    @Test
    void clientSendingManyMultiChunkMessages_toASlowFarSide_isHeldToTheQueueCap() {
        CountDownLatch release = new CountDownLatch(1);
        try (Service far = node.register("far-slow", new ServiceHandler() {
                    @Override
                    public void handleTunnel(Tunnel tunnel) {
                        try {
                            release.await();   // never reads: the far side is as slow as it gets
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        tunnel.close();
                    }
                });
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            Eventually.await(LocalNetwork.WAIT, "far-slow is served", () -> !node.servers("far-slow").isEmpty());
            client.write(new ClientFrame.TunnelInit(1, "far-slow", 5000));
            assertThat(client.next(RelayFrame.TunnelConfirm.class).timedOut()).isFalse();
            long credit = client.next(RelayFrame.TunnelAllow.class).space();
            // 65,537-byte messages: a full first chunk whose credit comes back at once while under
            // the cap, and a 1-byte last chunk whose credit waits for the far side
            int size = WireLimits.CHUNK_LIMIT + 1;
            byte[] first = WireBytes.encode(new ClientFrame.TunnelTransfer(1, size, new byte[WireLimits.CHUNK_LIMIT]));
            byte[] last = WireBytes.encode(new ClientFrame.TunnelTransfer(1, 0, new byte[1]));
            long sent = 0;
            long attempt = 48L << 20;
            while (sent < attempt) {
                if (credit >= size) {
                    client.write(first);
                    client.write(last);
                    credit -= size;
                    sent += size;
                    continue;
                }
                RelayFrame frame = client.nextWithin(Duration.ofMillis(1500));
                if (frame == null) {
                    break;   // no more credit: the relay holds the client back
                }
                credit += ((RelayFrame.TunnelAllow) frame).space();
            }
            // the cap, the client's initial credit, the node tunnel's window and a message in flight
            long bound = TunnelBridge.QUEUE_CAP_BYTES + Protocol.INITIAL_TUNNEL_CREDIT + (2L << 20) + 2L * size;
            assertThat(sent).as("bytes the client could push toward a far side that reads nothing").isLessThan(bound);
            release.countDown();
        }
    }

    @Test
    void clientThatGrantsHugeCreditAndStopsReading_pausesTheTunnelInsteadOfBufferingIt() {
        try (RawRelayClient service = RawRelayClient.attach(address, "svc-noread")) {
            Eventually.await(LocalNetwork.WAIT, "svc-noread is served", () -> !node.servers("svc-noread").isEmpty());
            Thread opener = Thread.ofVirtual().start(() -> {
                RelayFrame.TunnelInit init = service.next(RelayFrame.TunnelInit.class);
                service.write(new ClientFrame.TunnelConfirm(init.buildId(), 1));
                service.next(RelayFrame.TunnelAllow.class);
                service.write(new ClientFrame.TunnelAllow(1, 1L << 40));
            });
            Tunnel tunnel = node.tunnel("svc-noread", Duration.ofSeconds(5));
            long sent = 0;
            long attempt = 96L << 20;
            byte[] message = new byte[64 << 10];
            try {
                while (sent < attempt) {
                    tunnel.send(message, Duration.ofMillis(1500));
                    sent += message.length;
                }
            } catch (IridiumException.TimedOut stalled) {
                // the relay stopped taking data: the client's socket is full
            }
            // socket buffers on both ends, the relay's window and the node tunnel's window
            assertThat(sent).as("bytes a non-reading client let the relay take").isLessThan(48L << 20);
            tunnel.close();
            opener.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clientLettingRepliesPileUpUnread_isDisconnected() throws InterruptedException {
        AtomicInteger served = new AtomicInteger();
        byte[] big = new byte[1 << 20];
        try (Service bigReplies = node.register("big-replies", new ServiceHandler() {
                    @Override
                    public byte[] handleRequest(byte[] request) {
                        served.incrementAndGet();
                        return big;
                    }
                });
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            Eventually.await(LocalNetwork.WAIT, "big-replies is served", () -> !node.servers("big-replies").isEmpty());
            int requests = 64;
            for (int i = 0; i < requests; i++) {
                client.write(new ClientFrame.Request(i, "big-replies", new byte[] {1}, 30_000));
            }
            // let the replies pile up: wait until the service has stopped being asked for more
            int before;
            do {
                before = served.get();
                Thread.sleep(500);
            } while (served.get() != before);
            // more replies than the relay may hold for the client; how many more depends on how
            // much the kernel's socket buffers on both ends took first (2-12 MiB seen here)
            assertThat((long) served.get() << 20).as("reply bytes produced while the client read nothing")
                    .isGreaterThan(MAX_OUTBOUND);
            long read = client.drainToEnd();
            assertThat(read).as("bytes delivered before the relay dropped the client").isLessThan((long) served.get() << 20);
        }
    }

    @Test
    void oneServiceConnectionThatDoesNotRead_doesNotStallBroadcastsToTheOtherMembers() {
        int rounds = 8;
        int perRound = 100;
        byte[] message = new byte[32 << 10];
        byte[] frame = WireBytes.encode(new RelayFrame.Broadcast(message));
        try (RawRelayClient slow = RawRelayClient.attach(address, "svc-pair");
             RawRelayClient fast = RawRelayClient.attach(address, "svc-pair")) {
            Eventually.await(LocalNetwork.WAIT, "svc-pair is served", () -> !node.servers("svc-pair").isEmpty());
            // 25 MiB in all: far more than the slow member's socket buffers and queue hold
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < perRound; i++) {
                    node.broadcast("svc-pair", message);
                }
                byte[] got = fast.readExactly(perRound * frame.length);
                for (int i = 0; i < perRound; i++) {
                    assertThat(java.util.Arrays.copyOfRange(got, i * frame.length, (i + 1) * frame.length))
                            .as("broadcast %d of round %d", i, round).isEqualTo(frame);
                }
            }
        }
    }
}
