package io.iridium.relay.server;

import static io.iridium.relay.wire.WireBytes.concat;
import static io.iridium.relay.wire.WireBytes.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.WireBytes;
import io.iridium.runtime.Eventually;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's behaviour on the wire, byte by byte, as the specification (v1.0-draft2) describes it,
 * against a real node: raw sockets send and check exact packets.
 */
class RelayServerWireTest {
    private static final Duration QUIET = Duration.ofMillis(300);

    private static LocalNetwork network;
    private static NodeRuntime node;
    private static RelayServer relay;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        network = new LocalNetwork();
        node = network.start("relay-node", List.of());
        relay = RelayServer.start(node, RelayConfig.builder().address("127.0.0.1", 0)
                .handshakeTimeout(Duration.ofMillis(500)).build());
        address = relay.address();
    }

    @AfterAll
    static void stop() {
        relay.close();
        network.close();
    }

    private static RawRelayClient service(String cluster) {
        RawRelayClient service = RawRelayClient.attach(address, cluster);
        Eventually.await(LocalNetwork.WAIT, "the node serves " + cluster, () -> !node.servers(cluster).isEmpty());
        return service;
    }

    // ---- handshake (§2) ----

    @Test
    void handshake_plainClient_getsTheVerifiedInitBytes() {
        try (RawRelayClient client = RawRelayClient.connect(address)) {
            client.write(RawRelayClient.PLAIN_HANDSHAKE);
            assertThat(client.readExactly(RawRelayClient.RELAY_INIT.length)).isEqualTo(RawRelayClient.RELAY_INIT);
        }
    }

    @Test
    void handshake_wrongVersion_isDeniedWithReasonThenClosed() {
        try (RawRelayClient client = RawRelayClient.connect(address)) {
            client.write(of("00 11 \"iris-client-magic\" 04 \"v0.9\" 00"));
            String reason = "Unsupported protocol. Client: v0.9. Iris: v1.0-draft2.";
            byte[] expected = concat(of("01 10 \"iris-relay-magic\""), new byte[] {(byte) reason.length()},
                    reason.getBytes(StandardCharsets.UTF_8));
            assertThat(client.readExactly(expected.length)).isEqualTo(expected);
            client.expectClosedSilently();
        }
    }

    @Test
    void handshake_wrongMagic_closesWithoutAByte() {
        try (RawRelayClient client = RawRelayClient.connect(address)) {
            client.write(of("00 11 \"iris-client-magix\" 0B \"v1.0-draft2\" 00"));
            client.expectClosedSilently();
        }
    }

    @Test
    void handshake_firstOctetNotInit_closesWithoutAByte() {
        try (RawRelayClient client = RawRelayClient.connect(address)) {
            client.write(of("02"));
            client.expectClosedSilently();
        }
    }

    @Test
    void handshake_neverSent_isClosedAtTheDeadline() {
        try (RawRelayClient client = RawRelayClient.connect(address)) {
            client.expectClosedSilently();
        }
    }

    @Test
    void secondInit_afterTheHandshake_dropsTheConnection() {
        try (RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(RawRelayClient.PLAIN_HANDSHAKE);
            client.expectClosedSilently();
        }
    }

    @Test
    void unknownOpcode_dropsThatConnectionOnly() {
        try (RawRelayClient bad = RawRelayClient.attach(address, "");
             RawRelayClient good = RawRelayClient.attach(address, "")) {
            bad.write(of("0E"));
            bad.expectClosedSilently();
            good.write(new ClientFrame.Request(1, "nobody-serves-this", new byte[] {1}, 100));
            assertThat(good.next(RelayFrame.Reply.class).timedOut()).isTrue();
        }
    }

    @Test
    void boolOtherThan0or1_dropsTheConnection() {
        try (RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(of("05 00 02"));
            client.expectClosedSilently();
        }
    }

    // ---- requests (§5 and §12) ----

    @Test
    void request_id300_isDeliveredAsRelayId0_withTheRequestersTimeout_andTheReplyComesBackUnderId300() {
        try (RawRelayClient service = service("svc-wire");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(of("04 AC02 08 \"svc-wire\" 04 \"ping\" E807"));
            // §12: "04 00 04 "ping" E807". Iridium carries the time left when the request was
            // sent, rounded up to whole ms here: 1000 (E807), or a little less after transit on a
            // loaded machine; still a two-byte varint
            byte[] head = of("04 00 04 \"ping\"");
            assertThat(service.readExactly(head.length)).isEqualTo(head);
            byte[] timeout = service.readExactly(2);
            int timeoutMillis = (timeout[0] & 0x7F) | (timeout[1] << 7);
            assertThat(timeout[0] & 0x80).as("a continued varint").isNotZero();
            assertThat(timeoutMillis).isBetween(900, 1000);
            service.write(of("05 00 01 04 \"pong\""));
            byte[] reply = of("05 AC02 00 01 04 \"pong\"");
            assertThat(client.readExactly(reply.length)).isEqualTo(reply);
        }
    }

    @Test
    void request_theServiceIsToldTheRequestersTimeout_withoutACap() {
        try (RawRelayClient service = service("svc-deadline");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Request(7, "svc-deadline", new byte[] {1}, 120_000));
            RelayFrame.Request delivered = service.next(RelayFrame.Request.class);
            assertThat(delivered.timeoutMillis()).isBetween(119_000L, 120_000L); // less only by transit
            service.write(ClientFrame.Reply.success(delivered.id(), new byte[0]));
            assertThat(client.next(RelayFrame.Reply.class).id()).isEqualTo(7);
        }
    }

    @Test
    void request_deliveredIds_countFromZero_perServiceConnection() {
        try (RawRelayClient service = service("svc-ids");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            for (int i = 0; i < 3; i++) {
                client.write(new ClientFrame.Request(10 + i, "svc-ids", new byte[] {(byte) i}, 5000));
                RelayFrame.Request delivered = service.next(RelayFrame.Request.class);
                assertThat(delivered.id()).isEqualTo(i);
                service.write(ClientFrame.Reply.success(delivered.id(), new byte[0]));
                RelayFrame.Reply reply = client.next(RelayFrame.Reply.class);
                assertThat(reply.id()).isEqualTo(10 + i);
                assertThat(reply.reply()).isEmpty();
            }
        }
    }

    @Test
    void request_serviceFault_reachesTheRequesterAsAFault() {
        try (RawRelayClient service = service("svc-fault");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Request(7, "svc-fault", new byte[] {1}, 5000));
            RelayFrame.Request delivered = service.next(RelayFrame.Request.class);
            service.write(ClientFrame.Reply.failure(delivered.id(), "boom"));
            expectBytes(client, "05 07 00 00 04 \"boom\"");
        }
    }

    @Test
    void request_unanswered_timesOut_andTheLateReplyIsDiscarded() {
        try (RawRelayClient service = service("svc-late");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Request(300, "svc-late", of("\"ping\""), 300));
            RelayFrame.Request delivered = service.next(RelayFrame.Request.class);
            expectBytes(client, "05 AC02 01");
            // the relay's own timer for the delivered request expires too; the reply after it is dropped
            client.write(new ClientFrame.Request(301, "nobody-serves-this", new byte[] {1}, 200));
            assertThat(client.next(RelayFrame.Reply.class).id()).isEqualTo(301);
            service.write(ClientFrame.Reply.success(delivered.id(), of("\"late\"")));
            service.write(ClientFrame.Reply.success(12345, of("\"unknown\"")));
            client.expectNothingFor(QUIET);
            // and both connections stay healthy
            client.write(new ClientFrame.Request(302, "svc-late", of("\"again\""), 5000));
            RelayFrame.Request next = service.next(RelayFrame.Request.class);
            assertThat(next.id()).isEqualTo(delivered.id() + 1);
            service.write(ClientFrame.Reply.success(next.id(), of("\"ok\"")));
            RelayFrame.Reply reply = client.next(RelayFrame.Reply.class);
            assertThat(reply.id()).isEqualTo(302);
            assertThat(reply.reply()).isEqualTo(of("\"ok\""));
        }
    }

    @Test
    void request_noMembers_getsTheTimedOutReply_whenTheTimeoutExpires() {
        try (RawRelayClient client = RawRelayClient.attach(address, "")) {
            long start = System.nanoTime();
            client.write(new ClientFrame.Request(300, "nobody-serves-this", new byte[] {1}, 250));
            expectBytes(client, "05 AC02 01");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(240));
        }
    }

    @Test
    void request_timeoutZero_isAnsweredTimedOutAtOnce_yetStillDeliveredToAService() {
        try (RawRelayClient service = service("svc-zero");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Request(0, "svc-zero", of("\"now\""), 0));
            expectBytes(client, "05 00 01");
            RelayFrame.Request delivered = service.next(RelayFrame.Request.class);
            assertThat(delivered.request()).isEqualTo(of("\"now\""));
            // Iridium cannot carry a zero deadline: the service is told at most the short stand-in
            assertThat(delivered.timeoutMillis()).isLessThanOrEqualTo(RelaySession.ZERO_TIMEOUT_STAND_IN.toMillis());
        }
    }

    @Test
    void request_inFlightAtAClosingService_timesOutForTheRequester_insteadOfFailing() {
        RawRelayClient service = service("svc-closing");
        try (RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Request(9, "svc-closing", new byte[] {1}, 600));
            service.next(RelayFrame.Request.class);
            service.write(of("02"));
            expectBytes(service, "02 00");
            service.close();
            expectBytes(client, "05 09 01");
        }
    }

    // ---- broadcast (§6) and publish/subscribe (§7) ----

    @Test
    void broadcast_reachesEveryServiceOfTheCluster_withoutTheClusterName() {
        try (RawRelayClient first = service("svc-bcast");
             RawRelayClient second = RawRelayClient.attach(address, "svc-bcast");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(of("03 09 \"svc-bcast\" 02 \"hi\""));
            expectBytes(first, "03 02 \"hi\"");
            expectBytes(second, "03 02 \"hi\"");
        }
    }

    @Test
    void publish_reachesSubscribers_inOrder_andNotAfterUnsubscribe() {
        try (RawRelayClient subscriber = RawRelayClient.attach(address, "");
             RawRelayClient publisher = RawRelayClient.attach(address, "")) {
            subscriber.write(of("06 04 \"news\""));
            LocalNetwork.awaitSubscribers(List.of(node), "news", 1);
            for (int i = 0; i < 100; i++) {
                publisher.write(new ClientFrame.Publish("news", new byte[] {(byte) i}));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(subscriber.readExactly(8)).isEqualTo(concat(of("08 04 \"news\" 01"), new byte[] {(byte) i}));
            }
            subscriber.write(of("07 04 \"news\""));
            LocalNetwork.awaitSubscribers(List.of(node), "news", 0);
            publisher.write(new ClientFrame.Publish("news", new byte[] {1}));
            subscriber.expectNothingFor(QUIET);
        }
    }

    @Test
    void subscribe_thenPublish_onOneConnection_keepsTheirOrder() {
        try (RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(concat(of("06 05 \"order\""), of("08 05 \"order\" 01 2A")));
            expectBytes(client, "08 05 \"order\" 01 2A");
        }
    }

    @Test
    void topics_areLiteral_evenWhenTheyLookLikeWildcardsOrAreNoValidSubject() {
        List<String> topics = List.of("a b", "a..b", "*", ">", ".lead", "trail.", "a.*", "100%");
        try (RawRelayClient subscriber = RawRelayClient.attach(address, "");
             RawRelayClient publisher = RawRelayClient.attach(address, "")) {
            for (String topic : topics) {
                subscriber.write(new ClientFrame.Subscribe(topic));
            }
            for (String topic : topics) {
                LocalNetwork.awaitSubscribers(List.of(node), IrisTopics.toSubject(topic), 1);
            }
            publisher.write(new ClientFrame.Publish("x", new byte[] {0}));      // matches none literally
            publisher.write(new ClientFrame.Publish("a.b", new byte[] {0}));    // would match "a.*" as a pattern
            for (int i = 0; i < topics.size(); i++) {
                publisher.write(new ClientFrame.Publish(topics.get(i), new byte[] {(byte) i}));
            }
            // each topic is its own subscription, and order holds per subscription only
            Map<String, Byte> received = new HashMap<>();
            for (int i = 0; i < topics.size(); i++) {
                RelayFrame.Publish event = subscriber.next(RelayFrame.Publish.class);
                assertThat(event.event()).hasSize(1);
                assertThat(received.put(event.topic(), event.event()[0])).as("a second event on " + event.topic()).isNull();
            }
            for (int i = 0; i < topics.size(); i++) {
                assertThat(received).containsEntry(topics.get(i), (byte) i);
            }
            subscriber.expectNothingFor(QUIET);
            for (String topic : topics) {
                subscriber.write(new ClientFrame.Unsubscribe(topic));
            }
            for (String topic : topics) {
                LocalNetwork.awaitSubscribers(List.of(node), IrisTopics.toSubject(topic), 0);
            }
        }
    }

    @Test
    void subscribeTwice_orUnsubscribeUnknown_dropsTheConnection() {
        try (RawRelayClient twice = RawRelayClient.attach(address, "");
             RawRelayClient unknown = RawRelayClient.attach(address, "")) {
            twice.write(of("06 01 \"x\" 06 01 \"x\""));
            twice.expectClosedSilently();
            unknown.write(of("07 01 \"y\""));
            unknown.expectClosedSilently();
        }
    }

    // ---- tunnels (§8 and §12) ----

    @Test
    void tunnel_setUpChunkedAtTheBoundary_creditHeldBackAndGranted_thenClosed() {
        try (RawRelayClient service = service("svc-tun");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(of("09 05 07 \"svc-tun\" E807"));
            expectBytes(service, "09 00 808004");
            service.write(of("0A 00 07"));
            expectBytes(service, "0B 07 80808002");
            expectBytes(client, "0A 05 00 808004");
            expectBytes(client, "0B 05 80808002");

            byte[] first = new byte[65536];
            byte[] second = new byte[34464];
            Arrays.fill(first, (byte) 1);
            Arrays.fill(second, (byte) 2);
            client.write(concat(of("0C 05 A08D06 808004"), first, of("0C 05 00 A08D02"), second));
            // the relay credits the chunks back: the first at once, the last once the message was sent on
            long credited = 0;
            while (credited < 100000) {
                RelayFrame.TunnelAllow allow = client.next(RelayFrame.TunnelAllow.class);
                assertThat(allow.tunnelId()).isEqualTo(5);
                credited += allow.space();
            }
            assertThat(credited).isEqualTo(100000);

            service.expectNothingFor(QUIET);                 // no credit granted yet: held back
            service.write(of("0B 07 E307"));                 // 995 bytes: less than the first chunk
            service.expectNothingFor(QUIET);
            service.write(new ClientFrame.TunnelAllow(7, 70000 - 995));
            byte[] expected = concat(of("0C 07 A08D06 808004"), first, of("0C 07 00 A08D02"), second);
            assertThat(service.readExactly(expected.length)).isEqualTo(expected);  // continuation sent past the credit

            client.write(of("0D 05"));
            expectBytes(client, "0D 05 00");
            expectBytes(service, "0D 07 00");
            client.write(of("0D 05"));                        // unknown id now: no response
            client.expectNothingFor(QUIET);
        }
    }

    @Test
    void tunnel_toNoMembers_isConfirmedTimedOut_whenTheTimeoutExpires() {
        try (RawRelayClient client = RawRelayClient.attach(address, "")) {
            long start = System.nanoTime();
            client.write(new ClientFrame.TunnelInit(3, "nobody-serves-this", 300));
            expectBytes(client, "0A 03 01");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        }
    }

    /** Opens tunnel 5 from {@code client} to {@code service} (which calls it 7), both sides' credit read. */
    private static void openTunnel(RawRelayClient client, RawRelayClient service, String cluster) {
        client.write(new ClientFrame.TunnelInit(5, cluster, 2000));
        RelayFrame.TunnelInit init = service.next(RelayFrame.TunnelInit.class);
        service.write(new ClientFrame.TunnelConfirm(init.buildId(), 7));
        assertThat(service.next(RelayFrame.TunnelAllow.class).space()).isEqualTo(Protocol.INITIAL_TUNNEL_CREDIT);
        assertThat(client.next(RelayFrame.TunnelConfirm.class).timedOut()).isFalse();
        assertThat(client.next(RelayFrame.TunnelAllow.class).space()).isEqualTo(Protocol.INITIAL_TUNNEL_CREDIT);
    }

    @Test
    void tunnel_abandonedPartialMessage_isCreditedOnce() {
        try (RawRelayClient service = service("svc-abandon");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            openTunnel(client, service, "svc-abandon");
            client.write(new ClientFrame.TunnelTransfer(5, 100_000, new byte[65_536]));   // never completed
            client.write(new ClientFrame.TunnelTransfer(5, 10, new byte[10]));            // a new message
            long credited = 0;
            while (credited < 65_546) {
                credited += client.next(RelayFrame.TunnelAllow.class).space();
            }
            assertThat(credited).isEqualTo(65_546);
            client.expectNothingFor(QUIET);
            service.write(new ClientFrame.TunnelAllow(7, 1 << 20));
            RelayFrame.TunnelTransfer message = service.next(RelayFrame.TunnelTransfer.class);
            assertThat(message.sizeOrContinuation()).isEqualTo(10);
        }
    }

    @Test
    void tunnel_hugeCreditGrants_saturateInsteadOfOverflowing() {
        try (RawRelayClient service = service("svc-huge-credit");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            openTunnel(client, service, "svc-huge-credit");
            client.write(of("0B 05 FFFFFFFFFFFFFFFFFF01"));                 // 2^64 - 1
            client.write(new ClientFrame.TunnelAllow(5, Long.MAX_VALUE));
            service.write(new ClientFrame.TunnelTransfer(7, 3, of("\"abc\"")));
            expectBytes(client, "0C 05 03 03 \"abc\"");
        }
    }

    @Test
    void tunnel_clientSendingBeyondItsCredit_isDropped_andThePeerGetsTunnelClose() {
        try (RawRelayClient service = service("svc-greedy");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            openTunnel(client, service, "svc-greedy");
            byte[] chunk = WireBytes.encode(new ClientFrame.TunnelTransfer(5, 65_536, new byte[65_536]));
            try {
                for (int i = 0; i < 160; i++) {   // 10 MiB without reading a single TUN_ALLOW
                    client.write(chunk);
                }
            } catch (java.io.UncheckedIOException dropped) {
                // the relay closed the connection while we were still writing
            }
            client.drainToEnd();
            // the peer takes what was forwarded before the drop, then learns of the close
            service.write(new ClientFrame.TunnelAllow(7, 1L << 40));
            RelayFrame frame;
            do {
                frame = service.next();
            } while (frame instanceof RelayFrame.TunnelTransfer);
            assertThat(frame).isInstanceOf(RelayFrame.TunnelClose.class);
            assertThat(((RelayFrame.TunnelClose) frame).tunnelId()).isEqualTo(7);
        }
    }

    @Test
    void tunnel_failingOnTheNode_isClosedWithANonEmptyReason() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (RelayServer strict = RelayServer.start(node, RelayConfig.builder().address("127.0.0.1", 0)
                        .tunnelSendTimeout(Duration.ofMillis(300)).build());
             io.iridium.Service far = node.register("far-stuck", new io.iridium.ServiceHandler() {
                 @Override
                 public void handleTunnel(io.iridium.Tunnel tunnel) {
                     // takes the tunnel and never reads it: the relay's sends run out of credit
                     try {
                         done.await();
                     } catch (InterruptedException e) {
                         Thread.currentThread().interrupt();
                     }
                 }
             });
             RawRelayClient client = RawRelayClient.attach(strict.address(), "")) {
            Eventually.await(LocalNetwork.WAIT, "far-stuck is served", () -> !node.servers("far-stuck").isEmpty());
            client.write(new ClientFrame.TunnelInit(4, "far-stuck", 2000));
            assertThat(client.next(RelayFrame.TunnelConfirm.class).timedOut()).isFalse();
            client.next(RelayFrame.TunnelAllow.class);
            for (int i = 0; i < 48; i++) {   // 3 MiB: beyond the node tunnel's window
                client.write(new ClientFrame.TunnelTransfer(4, 65_536, new byte[65_536]));
            }
            RelayFrame frame;
            do {
                frame = client.next();
            } while (frame instanceof RelayFrame.TunnelAllow);
            assertThat(frame).isInstanceOf(RelayFrame.TunnelClose.class);
            RelayFrame.TunnelClose close = (RelayFrame.TunnelClose) frame;
            assertThat(close.tunnelId()).isEqualTo(4);
            assertThat(close.reason()).isNotEmpty();
        } finally {
            done.countDown();
        }
    }

    @Test
    void tunnel_notConfirmedWithin3Seconds_dropsTheServiceConnection() {
        try (RawRelayClient service = service("svc-unconfirmed");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            long start = System.nanoTime();
            client.write(new ClientFrame.TunnelInit(1, "svc-unconfirmed", 5000));
            service.next(RelayFrame.TunnelInit.class);
            service.expectClosedSilently();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
    }

    @Test
    void tunnel_chunkOver65536_dropsTheConnection_andThePeerGetsTunnelClose() {
        try (RawRelayClient service = service("svc-big");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.TunnelInit(1, "svc-big", 2000));
            RelayFrame.TunnelInit init = service.next(RelayFrame.TunnelInit.class);
            service.write(new ClientFrame.TunnelConfirm(init.buildId(), 9));
            service.next(RelayFrame.TunnelAllow.class);
            client.next(RelayFrame.TunnelConfirm.class);
            client.next(RelayFrame.TunnelAllow.class);
            client.write(concat(of("0C 01 818004 818004"), new byte[65537]));
            client.expectClosedSilently();
            RelayFrame.TunnelClose close = service.next(RelayFrame.TunnelClose.class);
            assertThat(close.tunnelId()).isEqualTo(9);
        }
    }

    @Test
    void tunnelConfirm_forAnUnknownBuild_isIgnored_andTheConnectionKeepsWorking() {
        try (RawRelayClient service = service("svc-confirm");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            service.write(new ClientFrame.TunnelConfirm(42, 1));
            client.write(new ClientFrame.TunnelInit(1, "svc-confirm", 2000));
            RelayFrame.TunnelInit init = service.next(RelayFrame.TunnelInit.class);
            service.write(new ClientFrame.TunnelConfirm(init.buildId(), 2));
            assertThat(service.next(RelayFrame.TunnelAllow.class).tunnelId()).isEqualTo(2);
            assertThat(client.next(RelayFrame.TunnelConfirm.class).timedOut()).isFalse();
        }
    }

    // ---- connection close (§9) ----

    @Test
    void close_isAnsweredWithEmptyClose_thenEndOfStream_withoutAwaitingRequests() {
        try (RawRelayClient service = service("svc-close");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Request(1, "svc-close", new byte[] {1}, 5000));
            service.next(RelayFrame.Request.class);
            client.write(of("02"));
            expectBytes(client, "02 00");
            client.expectClosedSilently();
        }
    }

    @Test
    void close_withTunnelsAndSubscriptionsOpen_tearsThemDown() {
        try (RawRelayClient service = service("svc-teardown");
             RawRelayClient client = RawRelayClient.attach(address, "")) {
            client.write(new ClientFrame.Subscribe("teardown-topic"));
            LocalNetwork.awaitSubscribers(List.of(node), "teardown-topic", 1);
            openTunnel(client, service, "svc-teardown");
            client.write(of("02"));
            expectBytes(client, "02 00");
            client.expectClosedSilently();
            expectBytes(service, "0D 07 00");
            LocalNetwork.awaitSubscribers(List.of(node), "teardown-topic", 0);
        }
    }

    @Test
    void listensOnTheIpv6Loopback_too_whenTheHostHasOne() {
        Assumptions.assumeTrue(relay.ipv6Address().isPresent(), "this host has no IPv6 loopback");
        InetSocketAddress ipv6 = relay.ipv6Address().orElseThrow();
        assertThat(ipv6.getPort()).isEqualTo(address.getPort());
        try (RawRelayClient client = RawRelayClient.connect(ipv6)) {
            client.write(RawRelayClient.PLAIN_HANDSHAKE);
            assertThat(client.readExactly(RawRelayClient.RELAY_INIT.length)).isEqualTo(RawRelayClient.RELAY_INIT);
        }
    }

    @Test
    void close_ofAService_unregistersItsCluster() {
        RawRelayClient service = service("svc-leaving");
        service.write(of("02"));
        expectBytes(service, "02 00");
        service.expectClosedSilently();
        service.close();
        Eventually.await(LocalNetwork.WAIT, "svc-leaving is unregistered", () -> node.servers("svc-leaving").isEmpty());
    }

    private static void expectBytes(RawRelayClient client, String spec) {
        byte[] expected = of(spec);
        assertThat(client.readExactly(expected.length)).isEqualTo(expected);
    }

    private static byte[] varint(long value) {
        io.iridium.relay.wire.ByteArraySink sink = new io.iridium.relay.wire.ByteArraySink(16);
        io.iridium.relay.wire.RelayEncoder.varint(sink, value);
        return sink.toByteArray();
    }

    static {
        // the protocol constant this suite checks against
        assertThat(Protocol.INITIAL_TUNNEL_CREDIT).isEqualTo(4194304);
        assertThat(WireBytes.of("E307")).isEqualTo(new byte[] {(byte) 0xE3, 0x07});
    }
}
