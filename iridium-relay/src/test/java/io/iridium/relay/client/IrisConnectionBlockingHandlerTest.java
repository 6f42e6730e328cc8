package io.iridium.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service handlers that block, on a connection whose reader serves lone requests itself: the
 * connection goes on reading while they wait, and a handler may wait on its own connection.
 */
class IrisConnectionBlockingHandlerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static LocalNetwork network;
    private static List<NodeRuntime> nodes;
    private static RelayServer relay;

    @BeforeAll
    static void start() {
        network = new LocalNetwork();
        nodes = network.startNetwork("blocking", 1);
        relay = RelayServer.start(nodes.get(0), RelayConfig.builder().address("127.0.0.1", 0).build());
    }

    @AfterAll
    static void stop() {
        relay.close();
        network.close();
    }

    @Test
    void whileAHandlerBlocks_itsConnectionStillReceivesBroadcastsAndServesRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch broadcastSeen = new CountDownLatch(1);
        IrisServiceHandler handler = new IrisServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) throws InterruptedException {
                if (request[0] == 'b') {
                    release.await(); // blocks the thread it runs on until the test lets it go
                }
                return request;
            }

            @Override
            public void handleBroadcast(byte[] message) {
                broadcastSeen.countDown();
            }
        };
        try (IrisConnection service = IrisConnection.register(relay.address(), "blocking", handler);
             IrisConnection client = IrisConnection.connect(relay.address())) {
            LocalNetwork.awaitServers(nodes, "blocking", 1);
            client.request("blocking", new byte[] {'q'}, TIMEOUT); // a quick one first: served on the reader
            CompletableFuture<byte[]> blocked = client.requestAsync("blocking", new byte[] {'b'}, TIMEOUT);

            client.broadcast("blocking", new byte[] {1});
            boolean broadcastWhileBlocked = broadcastSeen.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            byte[] quick = client.request("blocking", new byte[] {'q'}, TIMEOUT);

            assertThat(broadcastWhileBlocked).as("broadcast delivered while a handler blocks").isTrue();
            assertThat(quick).containsExactly('q');
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(blocked.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).containsExactly('b');
            assertThat(client.request("blocking", new byte[] {'q'}, TIMEOUT)).containsExactly('q');
        }
    }

    @Test
    void aHandlerThatRequestsThroughItsOwnConnection_getsItsReply() throws Exception {
        CompletableFuture<IrisConnection> self = new CompletableFuture<>();
        IrisServiceHandler outer = new IrisServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) throws Exception {
                // the reply to this inner request arrives on the very connection this request came on
                byte[] inner = self.get().request("inner", request, TIMEOUT);
                return ("outer(" + new String(inner, StandardCharsets.UTF_8) + ")").getBytes(StandardCharsets.UTF_8);
            }
        };
        IrisServiceHandler inner = new IrisServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                return ("inner(" + new String(request, StandardCharsets.UTF_8) + ")").getBytes(StandardCharsets.UTF_8);
            }
        };
        try (IrisConnection outerService = IrisConnection.register(relay.address(), "outer", outer);
             IrisConnection innerService = IrisConnection.register(relay.address(), "inner", inner);
             IrisConnection client = IrisConnection.connect(relay.address())) {
            self.complete(outerService);
            LocalNetwork.awaitServers(nodes, "outer", 1);
            LocalNetwork.awaitServers(nodes, "inner", 1);

            for (int i = 0; i < 3; i++) {
                byte[] reply = client.request("outer", ("x" + i).getBytes(StandardCharsets.UTF_8), TIMEOUT);
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("outer(inner(x" + i + "))");
            }
        }
    }
}
