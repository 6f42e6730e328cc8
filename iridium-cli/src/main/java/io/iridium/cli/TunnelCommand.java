package io.iridium.cli;

import io.iridium.Tunnel;
import io.iridium.relay.client.IrisConnection;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
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
 * {@code iridium tunnel CLUSTER}: opens a tunnel to one member of a cluster and joins it to
 * standard input and output ({@link TunnelPipe}), like {@code nc} for a cluster. At the end of
 * standard input it half-closes and keeps printing until the far side closes. Exit code 0 when
 * both directions ended cleanly, 1 when the tunnel could not open or failed (its typed failure's
 * message on standard error).
 */
@Command(
        name = "tunnel",
        mixinStandardHelpOptions = true,
        header = "Opens a tunnel to a member of a cluster: stdin to it, it to stdout.",
        description = {
            "Joins the network, opens an ordered, flow-controlled tunnel to one member of CLUSTER,",
            "sends standard input through it (in messages of up to 64 KiB) and writes what comes",
            "back to standard output. At the end of input it half-closes, then prints until the",
            "far side closes. Try: echo hello | iridium tunnel --dev echo (with `iridium serve --dev echo`)."
        })
final class TunnelCommand implements Callable<Integer> {

    private final Stdio stdio;

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private RelayClientOptions relay;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster to open the tunnel to.")
    private String cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for a member to accept the tunnel (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    TunnelCommand(Stdio stdio) {
        this.stdio = stdio;
    }

    @Override
    public Integer call() throws InterruptedException {
        Subjects.validateCluster(cluster);
        PrintWriter err = spec.commandLine().getErr();
        Optional<IrisConnection> relayed = relay.connect(network);
        if (relayed.isPresent()) {
            try (IrisConnection connection = relayed.get()) {
                pipe(new RelayTunnel(connection.tunnel(cluster, timeout)), err);
            }
            return 0;
        }
        try (ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build())) {
            session.awaitNetwork(ShortLivedNode.NETWORK_WAIT, err);
            pipe(session.node().tunnel(cluster, timeout), err);
        }
        return 0;
    }

    private void pipe(Tunnel tunnel, PrintWriter err) throws InterruptedException {
        TunnelPipe pipe = new TunnelPipe(tunnel, stdio.in(), stdio.out());
        pipe.run();
        err.println("Tunnel to '" + cluster + "' closed: sent " + pipe.sentBytes() + " bytes, received "
                + pipe.receivedBytes() + " bytes.");
        err.flush();
    }
}
