package io.iridium.cli;

import io.iridium.Endpoint;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.client.IrisConnection;
import io.iridium.relay.client.IrisServiceHandler;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a messaging command ({@code request}, {@code pub}, {@code sub}, {@code broadcast},
 * {@code tunnel}, {@code serve}) reaches the network: through a running local node's Iris relay,
 * which starts in milliseconds, or by joining the network with a node of its own, as before.
 *
 * <p>{@code --relay HOST:PORT} uses that relay (and fails if it does not answer). With
 * {@code --dev} and no {@code --relay}, the dev node's default relay (127.0.0.1:55555) is used when
 * one answers, and the command joins the network itself otherwise; {@code --no-relay} always joins.
 * Outside dev mode a relay is used only when named: a relay on the default port could belong to a
 * node of another network.
 */
final class RelayClientOptions {

    @Option(names = "--relay", paramLabel = "HOST:PORT",
            description = "Go through the Iris relay of a running node here instead of joining the network"
                    + " (default with --dev: 127.0.0.1:55555 when a node's relay answers there).")
    private Endpoint relay;

    @Option(names = "--no-relay", description = "Join the network directly, even when a local relay answers.")
    private boolean noRelay;

    /** A plain relay connection, if the options and the machine call for one. */
    Optional<IrisConnection> connect(NetworkOptions network) {
        return attach(network, address -> IrisConnection.connect(address));
    }

    /**
     * A plain relay connection for subscribing to {@code pattern}, if the options and the machine
     * call for one. Iris topics are literal, so a pattern with a {@code *} or {@code >} wildcard
     * token cannot go through a relay: the command then joins the network itself, and an
     * explicit {@code --relay} is refused with the reason.
     */
    Optional<IrisConnection> connectForPattern(NetworkOptions network, String pattern) {
        boolean wildcard = java.util.Arrays.stream(pattern.split("\\.", -1)).anyMatch(t -> t.equals("*") || t.equals(">"));
        if (!wildcard) {
            return connect(network);
        }
        if (relay != null) {
            throw new CommandFailure("'" + pattern + "' has wildcards, which Iris relay topics cannot express"
                    + " (they are literal); subscribe without --relay to join the network directly");
        }
        return Optional.empty();
    }

    /** A relay connection serving {@code cluster} with {@code handler}, if the options and the machine call for one. */
    Optional<IrisConnection> register(NetworkOptions network, String cluster, IrisServiceHandler handler) {
        return attach(network, address -> IrisConnection.register(address, cluster, handler));
    }

    private Optional<IrisConnection> attach(NetworkOptions network, Attacher attacher) {
        if (noRelay && relay != null) {
            throw new CommandFailure("--relay and --no-relay contradict each other; give one of them");
        }
        if (noRelay) {
            return Optional.empty();
        }
        if (relay != null) {
            InetSocketAddress address = new InetSocketAddress(relay.host(), relay.port());
            try {
                return Optional.of(attacher.attach(address));
            } catch (UncheckedIOException e) {
                throw new CommandFailure("no relay answers at " + relay + ": " + e.getMessage(), e);
            }
        }
        if (!network.dev()) {
            return Optional.empty();
        }
        try {
            return Optional.of(attacher.attach(RelayConfig.defaultAddress()));
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Describes where a relay connection goes, for messages. */
    static String describe(IrisConnection connection) {
        return "the relay at " + connection.relayAddress();
    }

    @FunctionalInterface
    private interface Attacher {
        IrisConnection attach(InetSocketAddress address);
    }
}
