package io.iridium.cli;

import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.relay.client.IrisConnection;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium serve CLUSTER [--echo | --exec CMD]}: joins the network as a member of
 * {@code CLUSTER} and serves it until SIGINT or SIGTERM, then leaves gracefully (requests already
 * accepted still get their replies) and exits with code 0.
 *
 * <p>{@code --echo} (the default) is {@link EchoService}; {@code --exec} is {@link ExecService}.
 * A line per request or tunnel goes to standard error ({@link ServeLog}); broadcasts are printed
 * on standard output. Serving needs no routes of others, so it does not wait for the network:
 * its registration spreads to whoever joins.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        header = "Serves a cluster from the shell until Ctrl-C.",
        description = {
            "Joins the network as a member of CLUSTER. With --echo (the default) each request is",
            "answered with its own bytes and tunnels echo every message; with --exec each request",
            "runs CMD (/bin/sh -c) with the request on its stdin, and CMD's stdout is the reply (a",
            "non-zero exit answers with an error: its stderr's first line). Broadcasts are printed",
            "on stdout; a line per request goes to stderr."
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private RelayClientOptions relay;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster to serve.")
    private String cluster;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Behaviour behaviour;

    /** What to do with requests: echo them, or run a command. */
    static final class Behaviour {
        @Option(names = "--echo", required = true, description = "Answer each request with its own bytes (the default).")
        boolean echo;

        @Option(names = "--exec", required = true, paramLabel = "CMD",
                description = "Run CMD with /bin/sh -c per request: the request on stdin, the reply from stdout.")
        String command;
    }

    /** Requested by SIGINT or SIGTERM; tests request it directly. */
    final ShutdownSignal stopSignal = new ShutdownSignal();

    @Override
    public Integer call() throws InterruptedException {
        Subjects.validateCluster(cluster);
        PrintWriter err = spec.commandLine().getErr();
        ServeLog log = new ServeLog(spec.commandLine().getOut(), err, Clock.systemDefaultZone());
        String command = behaviour != null ? behaviour.command : null;
        ServiceHandler handler = command != null ? new ExecService(command, log) : new EchoService(log);

        stopSignal.installHandlers(err);
        Optional<IrisConnection> relayed =
                relay.register(network, cluster, new RelayServiceHandler(handler));
        if (relayed.isPresent()) {
            try (IrisConnection connection = relayed.get()) {
                log.line("serving cluster '" + cluster + "' (" + (command != null ? "exec: " + command : "echo") + ") through "
                        + RelayClientOptions.describe(connection) + "; Ctrl-C to leave");
                String why = stopSignal.await();
                log.line(why + ": leaving...");
            } finally {
                stopSignal.close();
            }
            log.line("left.");
            return 0;
        }
        try (ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build())) {
            Service service = session.node().register(cluster, handler);
            log.line("serving cluster '" + cluster + "' (" + (command != null ? "exec: " + command : "echo") + ") as "
                    + session.describe() + "; Ctrl-C to leave");
            String why = stopSignal.await();
            log.line(why + ": leaving the network...");
            service.close();
        } finally {
            stopSignal.close();
        }
        log.line("left.");
        return 0;
    }
}
