package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.cli.admin.StatusDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code iridium node} end to end, in-process: starts, serves its admin API, answers
 * {@code iridium status}, and on a stop request leaves and returns exit code 0.
 */
final class CliNodeCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EXITED = "[the node command returned]";
    private static final Pattern ADMIN_URL = Pattern.compile("Admin API: (http://\\S+)/status");

    @Test
    @Timeout(60)
    void node_devWithHttp_servesStatusThenLeavesOnStopAndExitsZero() throws Exception {
        AwaitableOutput out = new AwaitableOutput();
        AwaitableOutput err = new AwaitableOutput();
        CommandLine commandLine = Main.commandLine().setOut(out.printWriter()).setErr(err.printWriter());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "node", "--dev", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--name", "cli-node-test"));
        exit.whenComplete((code, failure) -> out.printWriter().println(EXITED));
        NodeCommand node = commandLine.getSubcommands().get("node").getCommand();
        try {
            String banner = out.awaitAnyOf(WAIT, "Press Ctrl-C", EXITED);
            assertThat(banner).as(err.text()).contains("Node cli-node-test (", "development network", "Press Ctrl-C");
            Matcher url = ADMIN_URL.matcher(banner);
            assertThat(url.find()).as(banner).isTrue();

            StatusDocument status = StatusDocument.fromJson(get(URI.create(url.group(1) + "/status")));
            RunResult table = RunResult.run("status", "--node", url.group(1));

            assertThat(status.self().name()).isEqualTo("cli-node-test");
            assertThat(table.exitCode()).as(table.toString()).isZero();
            assertThat(table.out()).contains("* cli-node-test");
        } finally {
            node.stopSignal.request("test stop");
        }

        assertThat(exit.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as(err.text()).isZero();
        assertThat(out.text()).contains("test stop: leaving the network", "Left.");
    }

    private static String get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }
}
