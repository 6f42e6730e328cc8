package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.relay.client.IrisConnection;

import io.iridium.security.NetworkKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands through a running node's Iris relay ({@code --relay HOST:PORT}) instead of
 * joining the network, and {@code iridium node --relay}: the relay starts, and an explicitly
 * requested address that is taken makes the node refuse to start.
 */
final class CliRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern RELAY = Pattern.compile("Iris relay: listening on (127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void node_withRelay_servesTheRelayProtocol() throws Exception {
        Path key = directory.resolve("node.key");
        NetworkKey.generate("cli-relay-node").write(key, false);
        BackgroundCommand node = BackgroundCommand.start(networkArgs(key, "node", "--relay", "127.0.0.1:0"));
        NodeCommand command = node.command("node");
        try {
            String relay = awaitRelay(node);
            String[] hostPort = relay.split(":");
            try (IrisConnection client = IrisConnection.connect(new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))) {
                assertThatThrownBy(() -> client.request("nobody", new byte[] {1}, Duration.ofMillis(100)))
                        .isInstanceOf(io.iridium.IridiumException.TimedOut.class);
            }
        } finally {
            command.stopSignal.request("test stop");
        }
        assertThat(node.awaitExit(WAIT)).isZero();
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void clientCommands_throughANodesRelay_serveRequestBroadcastPublishSubscribe() throws Exception {
        Path key = directory.resolve("relay.key");
        NetworkKey.generate("cli-relay-test").write(key, false);
        try (Node node = Iridium.start(Config.builder().keyFile(key).bind(new Endpoint("127.0.0.1", 0)).multicast(false).build());
             RelayServer relayServer = RelayServer.start(node, RelayConfig.builder().address("127.0.0.1", 0).build())) {
            String relay = "127.0.0.1:" + relayServer.address().getPort();
            BackgroundCommand server = BackgroundCommand.start("serve", "relayed-echo", "--echo", "--relay", relay);
            try {
                awaitReady(server, "Ctrl-C to leave");
                assertThat(server.err().text()).contains("through the relay at");

                RunResult reply = RunResult.run("request", "relayed-echo", "hello through the relay", "--relay", relay);
                assertThat(reply.exitCode()).as(reply.toString()).isZero();
                assertThat(reply.out()).isEqualTo("hello through the relay\n");

                RunResult broadcast = RunResult.run("broadcast", "relayed-echo", "to all", "--relay", relay);
                assertThat(broadcast.exitCode()).as(broadcast.toString()).isZero();
                server.out().awaitContains("to all", WAIT);
            } finally {
                ServeCommand serve = server.command("serve");
                serve.stopSignal.request("test stop");
            }
            assertThat(server.awaitExit(WAIT)).isZero();

            RunResult wildcard = RunResult.run("sub", "news.*", "--count", "1", "--relay", relay);
            assertThat(wildcard.exitCode()).as(wildcard.toString()).isNotZero();
            assertThat(wildcard.err()).contains("literal");

            BackgroundCommand sub = BackgroundCommand.start("sub", "news.today", "--count", "1", "--relay", relay);
            try {
                awaitReady(sub, "Subscribed to 'news.today' through the relay");
                // subscriptions spread asynchronously: publish until the subscriber has its event
                for (int attempt = 0; attempt < 50 && !sub.out().text().contains("news.today: extra"); attempt++) {
                    RunResult pub = RunResult.run("pub", "news.today", "extra", "--relay", relay);
                    assertThat(pub.exitCode()).as(pub.toString()).isZero();
                    try {
                        sub.out().awaitContains("news.today: extra", Duration.ofMillis(200));
                    } catch (java.util.concurrent.TimeoutException notYet) {
                        // publish again
                    }
                }
            } finally {
                SubscribeCommand command = sub.command("sub");
                command.stopSignal.request("test stop");
            }
            assertThat(sub.awaitExit(WAIT)).isZero();
            assertThat(sub.out().text()).startsWith("news.today: extra\n");
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void devNode_whenTheDefaultRelayPortIsTaken_saysSoAndRunsWithoutARelay() throws Exception {
        java.net.ServerSocket holder = null;
        try {
            try {
                holder = new java.net.ServerSocket(55555, 1, java.net.InetAddress.getByName("127.0.0.1"));
            } catch (java.net.BindException alreadyTaken) {
                // another process holds it: just as good for this test
            }
            BackgroundCommand node = BackgroundCommand.start("node", "--dev", "--bind", "127.0.0.1:0", "--name", "cli-relay-taken");
            NodeCommand command = node.command("node");
            try {
                String text = node.out().awaitContains("Press Ctrl-C", WAIT);
                assertThat(text).contains("Iris relay: 127.0.0.1:55555 is already taken").contains("runs without a relay");
            } finally {
                command.stopSignal.request("test stop");
            }
            assertThat(node.awaitExit(WAIT)).isZero();
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void node_withAnExplicitRelayAddressAlreadyTaken_refusesToStart() throws Exception {
        Path key = directory.resolve("taken.key");
        NetworkKey.generate("cli-relay-taken").write(key, false);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RunResult result = RunResult.run(networkArgs(key, "node", "--relay", "127.0.0.1:" + taken.getLocalPort()));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).contains("cannot start the relay").contains("already in use");
        }
    }

    @Test
    @Timeout(30)
    void request_withARelayThatDoesNotAnswer_failsClearly() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        RunResult result = RunResult.run("request", "anything", "hi", "--relay", "127.0.0.1:" + port);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("no relay answers at 127.0.0.1:" + port);
    }

    private static void awaitReady(BackgroundCommand command, String ready) throws Exception {
        String text = command.err().awaitAnyOf(WAIT, ready, BackgroundCommand.EXITED);
        assertThat(text).as("the command did not get ready:%n--- out%n%s--- err%n%s", command.out().text(), text).contains(ready);
    }

    private static String[] networkArgs(Path key, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--key", key.toString(), "--bind", "127.0.0.1:0", "--no-multicast"));
        return all.toArray(String[]::new);
    }

    private static String awaitRelay(BackgroundCommand node) throws Exception {
        String text = node.out().awaitContains("Iris relay: listening on", WAIT);
        Matcher matcher = RELAY.matcher(node.out().text());
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }
}
