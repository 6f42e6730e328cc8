package io.iridium.cli;

import io.iridium.relay.client.IrisConnection;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium request CLUSTER MESSAGE}: sends one request to one member of a cluster, chosen
 * by load, and prints the reply (as UTF-8 text, ending with a newline unless it has one) with
 * exit code 0. Every failure is one of
 * {@link io.iridium.IridiumException}'s typed outcomes (no members, timed out, remote error,
 * overloaded, outcome unknown, ...): its message goes to standard error, with exit code 1.
 */
@Command(
        name = "request",
        mixinStandardHelpOptions = true,
        header = "Sends a request to one member of a cluster and prints the reply.",
        description = {
            "Joins the network for a moment, sends MESSAGE to one member of CLUSTER (chosen by",
            "load) and prints its reply. A failure (nobody serves the cluster, no reply in time,",
            "the handler failed) is printed on stderr and exits with 1."
        })
final class RequestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private RelayClientOptions relay;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster to ask.")
    private String cluster;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "The request, sent as UTF-8.")
    private String message;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for the reply, e.g. 500ms, 5s, 2m (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() {
        Subjects.validateCluster(cluster);
        PrintWriter out = spec.commandLine().getOut();
        Optional<IrisConnection> relayed = relay.connect(network);
        if (relayed.isPresent()) {
            try (IrisConnection connection = relayed.get()) {
                print(out, connection.request(cluster, message.getBytes(StandardCharsets.UTF_8), timeout));
            }
            return 0;
        }
        try (ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build())) {
            session.awaitNetwork(ShortLivedNode.NETWORK_WAIT, spec.commandLine().getErr());
            print(out, session.node().request(cluster, message.getBytes(StandardCharsets.UTF_8), timeout));
        }
        return 0;
    }

    private static void print(PrintWriter out, byte[] reply) {
        String text = new String(reply, StandardCharsets.UTF_8);
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }
}
