package io.iridium.cli;

import io.iridium.relay.client.IrisConnection;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium broadcast CLUSTER MESSAGE}: delivers one message to every current member of a
 * cluster (at most once each) and says how many members it was sent to. A cluster nobody serves
 * is a failure (exit code 1): the message would reach no one.
 */
@Command(
        name = "broadcast",
        mixinStandardHelpOptions = true,
        header = "Sends a message to every member of a cluster.",
        description = {
            "Joins the network for a moment and delivers MESSAGE to every current member of",
            "CLUSTER. Exits with 1 when nobody serves the cluster."
        })
final class BroadcastCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private RelayClientOptions relay;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster to reach.")
    private String cluster;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "The message, sent as UTF-8.")
    private String message;

    @Override
    public Integer call() {
        Subjects.validateCluster(cluster);
        PrintWriter err = spec.commandLine().getErr();
        Optional<IrisConnection> relayed = relay.connect(network);
        if (relayed.isPresent()) {
            try (IrisConnection connection = relayed.get()) {
                connection.broadcast(cluster, message.getBytes(StandardCharsets.UTF_8));
                err.println("Broadcast to the members of '" + cluster + "' through " + RelayClientOptions.describe(connection)
                        + " (best effort: the relay does not say how many members there are).");
                err.flush();
            }
            return 0;
        }
        try (ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build())) {
            session.awaitNetwork(ShortLivedNode.NETWORK_WAIT, err);
            int members = session.node().routes().membersOf(cluster).size();
            if (members == 0) {
                throw new CommandFailure("no live member serves cluster '" + cluster + "'; nothing was sent");
            }
            session.node().broadcast(cluster, message.getBytes(StandardCharsets.UTF_8));
            err.println("Broadcast to " + members + (members == 1 ? " member" : " members") + " of '" + cluster + "'.");
            err.flush();
        }
        return 0;
    }
}
