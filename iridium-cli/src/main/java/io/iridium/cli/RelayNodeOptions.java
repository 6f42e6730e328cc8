package io.iridium.cli;

import io.iridium.Endpoint;
import io.iridium.Node;
import io.iridium.relay.RelayBindException;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/**
 * {@code iridium node}'s Iris relay options. In dev mode the node serves Iris's relay protocol on
 * {@code 127.0.0.1:55555} unless {@code --no-relay}; elsewhere only when {@code --relay HOST:PORT}
 * asks for it, so a relay is never reachable beyond loopback unless explicitly requested. When the
 * default port is taken (a second dev node on the machine) the node says so and runs without a
 * relay; when an explicitly requested address is taken, the node refuses to start.
 */
final class RelayNodeOptions {

    @Option(names = "--relay", paramLabel = "HOST:PORT",
            description = "Serve Iris's relay protocol here, for programs using the Iris bindings and the CLI's"
                    + " client commands (default with --dev: 127.0.0.1:55555; otherwise none).")
    private Endpoint relay;

    @Option(names = "--no-relay", description = "Do not serve the Iris relay protocol (not even in dev mode).")
    private boolean noRelay;

    /**
     * Starts the relay the options ask for on {@code node}; the handle closes it (a no-op when none).
     *
     * @throws CommandFailure when an explicitly requested relay address cannot be bound
     */
    Running start(Node node, boolean dev, PrintWriter out) {
        if (noRelay && relay != null) {
            throw new CommandFailure("--relay and --no-relay contradict each other; give one of them");
        }
        if (noRelay || (relay == null && !dev)) {
            return () -> { };
        }
        InetSocketAddress address = relay != null ? new InetSocketAddress(relay.host(), relay.port()) : RelayConfig.defaultAddress();
        try {
            RelayServer server = RelayServer.start(node, RelayConfig.builder().address(address).build());
            InetSocketAddress bound = server.address();
            out.println("Iris relay: listening on " + bound.getHostString() + ":" + bound.getPort()
                    + " (Iris programs and `iridium request|pub|sub|broadcast|tunnel|serve` attach here).");
            out.flush();
            return server::close;
        } catch (RelayBindException e) {
            if (relay != null) {
                throw new CommandFailure("cannot start the relay: " + e.getMessage()
                        + " (choose another --relay HOST:PORT, or --no-relay)", e);
            }
            out.println("Iris relay: " + address.getHostString() + ":" + address.getPort()
                    + " is already taken (another node's relay?); this node runs without a relay"
                    + " (give --relay HOST:PORT for one elsewhere).");
            out.flush();
            return () -> { };
        }
    }

    /** A started relay (or none): {@link #close()} stops it and does not throw. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }
}
