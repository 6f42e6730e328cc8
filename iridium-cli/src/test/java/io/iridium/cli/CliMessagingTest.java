package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.security.NetworkKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messaging commands end to end, in-process, against real nodes over loopback TLS: each test
 * runs {@code serve} or {@code sub} in the background and the short-lived commands against it,
 * all on a network key generated for this class, so that no other test's nodes can interfere.
 */
final class CliMessagingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;
    private static Path key;

    @BeforeAll
    static void generateKey() throws Exception {
        key = directory.resolve("test-network.key");
        NetworkKey.generate("cli-messaging-test").write(key, false);
    }

    /** The network options of a node that starts the test network. */
    private static List<String> first(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--key", key.toString(), "--bind", "127.0.0.1:0", "--no-multicast"));
        return all;
    }

    /** {@code iridium args...} joining through {@code seed}. */
    private static String[] joining(String seed, String... args) {
        List<String> all = first(args);
        all.addAll(List.of("--join", seed));
        return all.toArray(String[]::new);
    }

    private static BackgroundCommand serve(String... args) {
        return BackgroundCommand.start(first(args).toArray(String[]::new));
    }

    @Test
    @Timeout(60)
    void request_toAnEchoServer_printsItsOwnBytesBack() throws Exception {
        try (BackgroundCommand server = serve("serve", "echoes", "--echo")) {
            String address = server.awaitAddress("Ctrl-C to leave", WAIT);

            RunResult result = RunResult.run(joining(address, "request", "echoes", "hello, cluster", "--timeout", "5s"));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo("hello, cluster\n");
            server.err().awaitContains("request #1  14 bytes -> reply of 14 bytes", WAIT);
        }
    }

    @Test
    @Timeout(60)
    void serveExec_runsTheCommandPerRequest_andANonZeroExitIsARemoteError() throws Exception {
        String command = "read word; if [ \"$word\" = fail ]; then echo \"cannot do: $word\" >&2; echo more >&2; exit 3; fi;"
                + " echo \"$word\" | tr a-z A-Z";
        try (BackgroundCommand server = serve("serve", "upper", "--exec", command)) {
            String address = server.awaitAddress("Ctrl-C to leave", WAIT);

            RunResult upper = RunResult.run(joining(address, "request", "upper", "shout"));
            RunResult failed = RunResult.run(joining(address, "request", "upper", "fail"));

            assertThat(upper.exitCode()).as(upper.toString()).isZero();
            assertThat(upper.out()).isEqualTo("SHOUT\n");
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
            assertThat(failed.err()).isEqualTo("iridium request: cannot do: fail\n");
            server.err().awaitContains("-> error: cannot do: fail", WAIT);
        }
    }

    @Test
    @Timeout(60)
    void request_clusterNobodyServes_failsAtOnceWithTheTypedMessage() throws Exception {
        try (BackgroundCommand server = serve("serve", "present")) {
            String address = server.awaitAddress("Ctrl-C to leave", WAIT);

            RunResult result = RunResult.run(joining(address, "request", "absent", "anyone?", "--timeout", "20s"));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("iridium request: no live member serves cluster 'absent'\n");
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void sub_withCount_printsThePublishedEventsThenExitsZero() throws Exception {
        try (BackgroundCommand sub = BackgroundCommand.start(first("sub", "orders.*", "--count", "2").toArray(String[]::new))) {
            String address = sub.awaitAddress("Subscribed to 'orders.*'", WAIT);

            RunResult created = RunResult.run(joining(address, "pub", "orders.created", "order 1"));
            RunResult shipped = RunResult.run(joining(address, "pub", "orders.shipped", "order 1"));

            assertThat(created.exitCode()).as(created.toString()).isZero();
            assertThat(created.err()).contains("Published 1 event to 'orders.created' (1 subscribing node matched).");
            assertThat(shipped.exitCode()).as(shipped.toString()).isZero();
            assertThat(sub.awaitExit(WAIT)).as(sub.err().text()).isZero();
            assertThat(sub.out().text()).isEqualTo("orders.created: order 1\norders.shipped: order 1\n");
            assertThat(sub.err().text()).contains("received 2 events: leaving the network.");
        }
    }

    @Test
    @Timeout(60)
    void pub_withCount_publishesThatManyEventsInOrder() throws Exception {
        try (BackgroundCommand sub = BackgroundCommand.start(first("sub", "ticks.>", "--count", "3").toArray(String[]::new))) {
            String address = sub.awaitAddress("Subscribed to 'ticks.>'", WAIT);

            RunResult result = RunResult.run(joining(address, "pub", "ticks.a.b", "tick", "--count", "3"));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(sub.awaitExit(WAIT)).as(sub.err().text()).isZero();
            assertThat(sub.out().text()).isEqualTo("ticks.a.b: tick\n".repeat(3));
        }
    }

    @Test
    @Timeout(60)
    void broadcast_toAServedCluster_reachesTheServer() throws Exception {
        try (BackgroundCommand server = serve("serve", "listeners")) {
            String address = server.awaitAddress("Ctrl-C to leave", WAIT);

            RunResult result = RunResult.run(joining(address, "broadcast", "listeners", "hello, everyone"));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.err()).contains("Broadcast to 1 member of 'listeners'.");
            server.out().awaitContains("hello, everyone\n", WAIT);
        }
    }

    @Test
    @Timeout(60)
    void tunnel_toAnEchoServer_copiesStdinToStdoutByteForByte() throws Exception {
        byte[] input = new byte[300 * 1024 + 17]; // several chunks, the last one partial
        new Random(42).nextBytes(input);
        try (BackgroundCommand server = serve("serve", "pipes", "--echo")) {
            String address = server.awaitAddress("Ctrl-C to leave", WAIT);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            AwaitableOutput err = new AwaitableOutput();

            int exit = Main.commandLine(new Stdio(new ByteArrayInputStream(input), output))
                    .setErr(err.printWriter())
                    .execute(joining(address, "tunnel", "pipes"));

            assertThat(exit).as(err.text()).isZero();
            assertThat(output.toByteArray()).isEqualTo(input);
            assertThat(err.text()).contains("sent " + input.length + " bytes, received " + input.length + " bytes");
            server.err().awaitContains("closed: echoed", WAIT);
        }
    }

    @Test
    @Timeout(60)
    void serve_stopRequested_leavesAndExitsZero() throws Exception {
        BackgroundCommand server = serve("serve", "brief");
        server.awaitAddress("Ctrl-C to leave", WAIT);

        server.close();

        assertThat(server.awaitExit(WAIT)).as(server.err().text()).isZero();
        assertThat(server.err().text()).contains("test stop: leaving the network...", "left.");
    }
}
