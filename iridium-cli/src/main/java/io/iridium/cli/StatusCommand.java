package io.iridium.cli;

import io.iridium.cli.admin.StatusDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iridium status}: asks a running node's admin API ({@code GET /status}) for the members,
 * clusters and topic subscriptions it sees and prints them as tables ({@link StatusTable}), or as
 * the JSON the node sent.
 *
 * <p>When no node answers, it says so, suggests how to start one, and exits with code 1.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        header = "Shows the members, clusters and topics a running node sees.",
        description = {
            "Asks a node's admin API (the address given to its --http) for GET /status and prints",
            "the members, the clusters with their members and the topic patterns with their",
            "subscribers as tables. Exits with 1 when no node answers."
        })
final class StatusCommand implements Callable<Integer> {

    static final String DEFAULT_NODE_URL = "http://127.0.0.1:" + NodeCommand.DEV_HTTP_FIRST_PORT;

    @Spec
    private CommandSpec spec;

    @Option(names = "--node", paramLabel = "URL", defaultValue = DEFAULT_NODE_URL,
            description = "The admin address of the node to ask, as given to its --http (default: ${DEFAULT-VALUE}).")
    private String node;

    @Option(names = "--json", description = "Print the JSON document the node sent instead of a table.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for the node (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        URI statusUri = statusUri();
        String body = fetch(statusUri);
        StatusDocument document;
        try {
            document = StatusDocument.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(statusUri + " did not answer with a status document (" + e.getMessage()
                    + "); is --node the address of an Iridium node?");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? body : StatusTable.render(document));
        out.flush();
        return 0;
    }

    private URI statusUri() {
        String base = node.strip();
        if (!base.contains("://")) {
            base = "http://" + base;
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            URI uri = URI.create(base + "/status");
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected http://HOST:PORT");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--node': '" + node + "' is not a node's admin URL (" + e.getMessage() + ")");
        }
    }

    private String fetch(URI statusUri) throws InterruptedException {
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpRequest request = HttpRequest.newBuilder(statusUri).timeout(timeout).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CommandFailure(statusUri + " answered HTTP " + response.statusCode()
                        + "; is --node the address of an Iridium node?");
            }
            return response.body();
        } catch (ConnectException e) {
            throw new CommandFailure(noNodeAnswers("nothing is listening there"));
        } catch (HttpTimeoutException e) {
            throw new CommandFailure(noNodeAnswers("no answer within " + timeout.toSeconds() + " s"));
        } catch (IOException e) {
            throw new CommandFailure(noNodeAnswers(e.toString()));
        }
    }

    private String noNodeAnswers(String why) {
        return "no node answers at " + node + " (" + why + ").\n"
                + "Start one with `iridium node --dev` (it serves " + DEFAULT_NODE_URL + " when that port is free),"
                + " or point --node at the address a node was given with --http.";
    }
}
