package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.IridiumException;
import io.iridium.ServiceHandler;
import io.iridium.Tunnel;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tunnels between real nodes over loopback TLS: order both ways, chunking of large messages,
 * flow control against a slow reader, half-close, graceful close, a crashed member, idle
 * keep-alive, and the typed failures of opening.
 */
class TunnelTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LONG = Duration.ofSeconds(10);
    static final long SEED = Long.getLong("iridium.seed", 20240601L);

    final LocalNetwork local = new LocalNetwork();

    @AfterEach
    void stopAll() {
        local.close();
    }

    // ---- order, chunking -------------------------------------------------------------------------

    @Test
    void tunnel_manyMessagesBothWays_arriveInOrder() throws Exception {
        try (Tunnel tunnel = echoTunnel()) {
            int count = 3_000;
            CompletableFuture<Void> writer = inVirtualThread(() -> {
                for (int i = 0; i < count; i++) {
                    tunnel.send(bytes("message " + i), LONG);
                }
                tunnel.closeSend();
            });
            for (int i = 0; i < count; i++) {
                assertThat(text(tunnel.receive(LONG))).isEqualTo("message " + i);
            }
            assertThat(tunnel.receive(LONG)).as("the echo ends after our end").isNull();
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void tunnel_multiMegabyteMessage_isChunkedAndChecksumMatches() throws Exception {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        network.get(1).register("files", new ServiceHandler() {
            @Override
            public void handleTunnel(Tunnel tunnel) {
                byte[] file = tunnel.receive(LONG);
                tunnel.send(sha256(file), LONG);
                tunnel.send(file, LONG); // and the whole file back: large in both directions
                tunnel.close();
            }
        });
        awaitServers(network, "files", 1);
        byte[] file = new byte[5 * 1024 * 1024 + 12_345];
        new Random(SEED).nextBytes(file);
        try (Tunnel tunnel = network.get(0).tunnel("files", LONG)) {
            tunnel.send(file, LONG);
            assertThat(tunnel.receive(LONG)).as("the far side's checksum (seed " + SEED + ")").isEqualTo(sha256(file));
            assertThat(tunnel.receive(LONG)).isEqualTo(file);
            assertThat(tunnel.receive(LONG)).isNull();
        }
    }

    @Test
    void tunnel_fullChunksFromReusedArrays_echoIntactWhileTheirChunkArraysAreRecycled() throws Exception {
        // Full 64 KiB chunks travel in arrays the transport recycles (TunnelChunks) once encrypted;
        // a chunk array reused too early, or shared with the caller's, would show as a wrong message.
        int count = 400;
        try (Tunnel tunnel = echoTunnel()) {
            CompletableFuture<Void> writer = inVirtualThread(() -> {
                byte[][] reused = new byte[MESSAGE_LENGTHS.length][];
                for (int i = 0; i < count; i++) {
                    int kind = i % MESSAGE_LENGTHS.length;
                    if (reused[kind] == null) {
                        reused[kind] = new byte[MESSAGE_LENGTHS[kind]];
                    }
                    new Random(SEED + i).nextBytes(reused[kind]);
                    tunnel.send(reused[kind], LONG);
                    Arrays.fill(reused[kind], (byte) 0x5A); // the caller may overwrite its array at once
                }
                tunnel.closeSend();
            });
            for (int i = 0; i < count; i++) {
                assertIsSeededMessage(tunnel.receive(LONG), i);
            }
            assertThat(tunnel.receive(LONG)).isNull();
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void receiveInPlace_mixedSizes_readerSeesEachMessageWholeAndEndIsFalse() throws Exception {
        int count = 200;
        try (Tunnel tunnel = echoTunnel()) {
            CompletableFuture<Void> writer = inVirtualThread(() -> {
                for (int i = 0; i < count; i++) {
                    tunnel.send(seededMessage(i), LONG);
                }
                tunnel.closeSend();
            });
            for (int i = 0; i < count; i++) {
                byte[][] seen = new byte[1][];
                boolean received = tunnel.receive(view -> {
                    assertThat(view.isReadOnly()).isTrue();
                    seen[0] = new byte[view.remaining()];
                    view.get(seen[0]);
                }, LONG);
                assertThat(received).isTrue();
                assertIsSeededMessage(seen[0], i);
            }
            assertThat(tunnel.receive(view -> { throw new AssertionError("no message after the end"); }, LONG))
                    .as("end of stream").isFalse();
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void receiveInPlace_readerThrows_messageCountsAsReceivedAndTheNextOneArrives() throws Exception {
        try (Tunnel tunnel = echoTunnel()) {
            byte[] first = new byte[64 * 1024];
            Arrays.fill(first, (byte) 1);
            byte[] second = new byte[64 * 1024];
            Arrays.fill(second, (byte) 2);
            tunnel.send(first, LONG);
            tunnel.send(second, LONG);

            assertThatThrownBy(() -> tunnel.receive(view -> { throw new IllegalStateException("reader failed"); }, LONG))
                    .isInstanceOf(IllegalStateException.class).hasMessage("reader failed");

            assertThat(tunnel.receive(LONG)).as("the next message, whole").isEqualTo(second);
        }
    }

    /** Whole chunks, two chunks, a chunk and a bit, and less than one. */
    private static final int[] MESSAGE_LENGTHS = {64 * 1024, 2 * 64 * 1024, 64 * 1024 + 7, 40_000};

    /** Message {@code i} of a seeded stream: one of {@link #MESSAGE_LENGTHS} in turn, random bytes. */
    private static byte[] seededMessage(int i) {
        byte[] message = new byte[MESSAGE_LENGTHS[i % MESSAGE_LENGTHS.length]];
        new Random(SEED + i).nextBytes(message);
        return message;
    }

    private static void assertIsSeededMessage(byte[] got, int i) {
        byte[] expected = seededMessage(i);
        assertThat(got).as("message %d", i).hasSize(expected.length);
        assertThat(Arrays.mismatch(got, expected)).as("first wrong byte of message %d (seed %d)", i, SEED).isEqualTo(-1);
    }

    // ---- flow control ----------------------------------------------------------------------------

    @Test
    void send_readerDoesNotRead_blocksWithinTheWindowAndResumesWhenItReads() throws Exception {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        CountDownLatch startReading = new CountDownLatch(1);
        CompletableFuture<TunnelEndpoint> serverSide = new CompletableFuture<>();
        CompletableFuture<List<byte[]>> read = new CompletableFuture<>();
        network.get(1).register("slow", new ServiceHandler() {
            @Override
            public void handleTunnel(Tunnel tunnel) {
                serverSide.complete((TunnelEndpoint) tunnel);
                try {
                    startReading.await();
                    List<byte[]> messages = new ArrayList<>();
                    for (byte[] m; (m = tunnel.receive(LONG)) != null; ) {
                        messages.add(m);
                    }
                    read.complete(messages);
                    tunnel.close();
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            }
        });
        awaitServers(network, "slow", 1);
        Tunnel tunnel = network.get(0).tunnel("slow", LONG);
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        int messages = 0;
        while (true) {
            try {
                tunnel.send(chunk, Duration.ofMillis(300));
                sent += chunk.length;
                messages++;
            } catch (IridiumException.TimedOut blocked) {
                break;
            }
            assertThat(sent).as("the writer is stopped by the window").isLessThanOrEqualTo(Tunnels.WINDOW);
        }
        assertThat(sent).as("the whole window was usable").isGreaterThanOrEqualTo(Tunnels.WINDOW / 2);
        TunnelEndpoint server = serverSide.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long held = sent;
        awaitTrue("the server holds what was sent", () -> server.bufferedBytesForTest() == held);
        assertThat(server.bufferedBytesForTest()).isLessThanOrEqualTo(Tunnels.WINDOW);

        startReading.countDown();
        tunnel.send(chunk, LONG); // resumes once the reader reads
        tunnel.closeSend();
        assertThat(read.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasSize(messages + 1);
        assertThat(tunnel.receive(LONG)).isNull();
        tunnel.close();
    }

    // ---- half-close and close -----------------------------------------------------------------------

    @Test
    void closeSend_eachSideInTurn_farSideReadsToEndAndStillSends() throws Exception {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        CompletableFuture<List<String>> serverRead = new CompletableFuture<>();
        network.get(1).register("half", new ServiceHandler() {
            @Override
            public void handleTunnel(Tunnel tunnel) {
                List<String> got = new ArrayList<>();
                for (byte[] m; (m = tunnel.receive(LONG)) != null; ) {
                    got.add(text(m));
                }
                assertThat(tunnel.receive(LONG)).as("end of stream is sticky").isNull();
                serverRead.complete(got);
                tunnel.send(bytes("reply 1"), LONG); // still sending after the client's half-close
                tunnel.send(bytes("reply 2"), LONG);
                tunnel.closeSend();
            }
        });
        awaitServers(network, "half", 1);
        Tunnel tunnel = network.get(0).tunnel("half", LONG);
        tunnel.send(bytes("a"), LONG);
        tunnel.send(bytes("b"), LONG);
        tunnel.send(new byte[0], LONG);
        tunnel.closeSend();
        assertThatThrownBy(() -> tunnel.send(bytes("late"), LONG)).isInstanceOf(IridiumException.Closed.class);
        assertThat(serverRead.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("a", "b", "");
        assertThat(text(tunnel.receive(LONG))).isEqualTo("reply 1");
        assertThat(text(tunnel.receive(LONG))).isEqualTo("reply 2");
        assertThat(tunnel.receive(LONG)).isNull();
        tunnel.close();
    }

    @Test
    void close_afterSending_deliversEverythingThenEndsBothSides() throws Exception {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        CompletableFuture<Integer> serverRead = new CompletableFuture<>();
        network.get(1).register("sink", new ServiceHandler() {
            @Override
            public void handleTunnel(Tunnel tunnel) {
                int count = 0;
                for (byte[] m; (m = tunnel.receive(LONG)) != null; ) {
                    assertThat(text(m)).isEqualTo("item " + count);
                    tunnel.send(m, LONG); // replies the closing client will never read: drained
                    count++;
                }
                serverRead.complete(count);
                tunnel.close();
            }
        });
        awaitServers(network, "sink", 1);
        Tunnel tunnel = network.get(0).tunnel("sink", LONG);
        for (int i = 0; i < 500; i++) {
            tunnel.send(bytes("item " + i), LONG);
        }
        long start = System.nanoTime();
        tunnel.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close waited for the far side's end, not its grace")
                .isLessThan(TunnelEndpoint.CLOSE_GRACE);
        assertThat(serverRead.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(500);
        assertThatThrownBy(() -> tunnel.receive(LONG)).isInstanceOf(IridiumException.Closed.class);
        tunnel.close(); // idempotent
    }

    // ---- failures ----------------------------------------------------------------------------------

    @Test
    void tunnel_serverCrashes_abortsClientWithClosed() throws Exception {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        network.get(1).register("fragile", echo());
        awaitServers(network, "fragile", 1);
        Tunnel tunnel = network.get(0).tunnel("fragile", LONG);
        tunnel.send(bytes("hello"), LONG);
        assertThat(text(tunnel.receive(LONG))).isEqualTo("hello");
        CompletableFuture<Throwable> blockedReader = CompletableFuture.supplyAsync(() -> {
            try {
                tunnel.receive(WAIT);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        network.get(1).crash();
        assertThat(blockedReader.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(IridiumException.Closed.class)
                .hasMessageContaining("failed");
        assertThatThrownBy(() -> tunnel.send(bytes("after"), LONG)).isInstanceOf(IridiumException.Closed.class);
        tunnel.close();
    }

    @Test
    void tunnel_noMembers_failsAtOnce() {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        long start = System.nanoTime();
        assertThatThrownBy(() -> network.get(0).tunnel("nobody", Duration.ofSeconds(30)))
                .isInstanceOf(IridiumException.NoMembers.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void tunnel_serviceWithoutTunnelHandler_isRefused() {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        network.get(1).register("requests-only", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                return request;
            }
        });
        awaitServers(network, "requests-only", 1);
        assertThatThrownBy(() -> network.get(0).tunnel("requests-only", LONG))
                .isInstanceOf(IridiumException.Remote.class)
                .hasMessageContaining("does not handle tunnels");
    }

    // ---- keep-alive and local delivery ----------------------------------------------------------------

    @Test
    void tunnel_idleLongerThanIdleTimeout_staysOpen() {
        List<NodeRuntime> network = network(2, Duration.ofMillis(300));
        network.get(1).register("quiet", echo());
        awaitServers(network, "quiet", 1);
        try (Tunnel tunnel = network.get(0).tunnel("quiet", LONG)) {
            // idle for several idle timeouts: an unpinned connection would close and abort the tunnel
            assertThatThrownBy(() -> tunnel.receive(Duration.ofMillis(1_500))).isInstanceOf(IridiumException.TimedOut.class);
            tunnel.send(bytes("still there?"), LONG);
            assertThat(text(tunnel.receive(LONG))).isEqualTo("still there?");
            tunnel.closeSend();
            assertThat(tunnel.receive(LONG)).isNull();
        }
    }

    @Test
    void tunnel_toClusterServedHere_runsALocalPairWithTheSameSemantics() {
        List<NodeRuntime> network = network(1, Duration.ofMinutes(5));
        NodeRuntime node = network.get(0);
        node.register("self", echo());
        awaitServers(network, "self", 1);
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(SEED).nextBytes(big);
        try (Tunnel tunnel = node.tunnel("self", LONG)) {
            CompletableFuture<Void> writer = inVirtualThread(() -> {
                for (int i = 0; i < 200; i++) {
                    tunnel.send(bytes("local " + i), LONG);
                }
                tunnel.send(big, LONG);
                byte[] reused = new byte[64 * 1024]; // full chunks: their arrays are recycled locally too
                for (int i = 0; i < 50; i++) {
                    Arrays.fill(reused, (byte) i);
                    tunnel.send(reused, LONG);
                }
                tunnel.closeSend();
            });
            for (int i = 0; i < 200; i++) {
                assertThat(text(tunnel.receive(LONG))).isEqualTo("local " + i);
            }
            assertThat(tunnel.receive(LONG)).isEqualTo(big);
            for (int i = 0; i < 50; i++) {
                byte[] expected = new byte[64 * 1024];
                Arrays.fill(expected, (byte) i);
                int message = i;
                assertThat(tunnel.receive(view -> assertThat(view).as("full chunk %d", message).isEqualTo(ByteBuffer.wrap(expected)), LONG)).isTrue();
            }
            assertThat(tunnel.receive(LONG)).isNull();
            writer.join();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Echoes every message until the client ends, then ends too. */
    static ServiceHandler echo() {
        return new ServiceHandler() {
            @Override
            public void handleTunnel(Tunnel tunnel) {
                try (tunnel) {
                    for (byte[] m; (m = tunnel.receive(Duration.ofMinutes(1))) != null; ) {
                        tunnel.send(m, LONG);
                    }
                } catch (IridiumException.Closed e) {
                    // the client or the node went away
                }
            }
        };
    }

    /** A tunnel from one node of a new two-node network to an echo service on the other. */
    Tunnel echoTunnel() {
        List<NodeRuntime> network = network(2, Duration.ofMinutes(5));
        network.get(1).register("echo", echo());
        awaitServers(network, "echo", 1);
        return network.get(0).tunnel("echo", LONG);
    }

    /** Runs {@code work} on a virtual thread of its own, as a second application thread. */
    static CompletableFuture<Void> inVirtualThread(Runnable work) {
        return CompletableFuture.runAsync(work, command -> Thread.ofVirtual().start(command));
    }

    List<NodeRuntime> network(int size, Duration idleTimeout) {
        return local.startNetwork("t", size, idleTimeout);
    }

    static void awaitServers(List<NodeRuntime> network, String cluster, int count) {
        LocalNetwork.awaitServers(network, cluster, count);
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        io.iridium.runtime.Eventually.await(WAIT, what, condition);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
