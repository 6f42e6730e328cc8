package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code iridium status} against a stand-in HTTP server that answers like a node (the admin server
 * itself is tested against real nodes in {@code AdminServerLiveNodeTest}), and against nothing.
 */
final class StatusCommandTest {

    private HttpServer server;
    private String url;

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status", exchange -> {
            byte[] body = StatusTableTest.SAMPLE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    @Test
    void status_nodeAnswers_printsTheTable() {
        RunResult result = RunResult.run("status", "--node", url);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("  NAME ").contains("* alpha", "bravo-long-name", "3 members");
    }

    @Test
    void status_nodeGivenWithoutScheme_isReadAsHttp() {
        RunResult result = RunResult.run("status", "--node", "127.0.0.1:" + server.getAddress().getPort() + "/");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("* alpha");
    }

    @Test
    void status_json_printsTheDocumentAsSent() {
        RunResult result = RunResult.run("status", "--node", url, "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(StatusTableTest.SAMPLE);
    }

    @Test
    void status_serverWithoutStatus_failsSayingItIsNoNode() {
        RunResult result = RunResult.run("status", "--node", url + "/elsewhere");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 404", "Iridium node").doesNotContain("Exception");
    }

    @Test
    void status_noNodeListening_failsWithAClearMessage() throws IOException {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }

        RunResult result = RunResult.run("status", "--node", "http://127.0.0.1:" + freePort);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err())
                .contains("no node answers at http://127.0.0.1:" + freePort, "iridium node --dev")
                .doesNotContain("Exception");
        assertThat(result.out()).isEmpty();
    }
}
