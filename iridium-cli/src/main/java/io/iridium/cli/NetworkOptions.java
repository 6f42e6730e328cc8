package io.iridium.cli;

import io.iridium.Config;
import io.iridium.Endpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options that say which network to join and how to find it, shared (as a picocli mixin) by
 * {@code iridium node} and every command that joins the network for a moment ({@code serve},
 * {@code request}, {@code pub}, ...): {@code --dev} or {@code --key}, {@code --bind},
 * {@code --advertise}, {@code --join}, {@code --dns}, {@code --no-multicast}.
 *
 * <p>A long-running node listens on {@value Config#DEFAULT_PORT} unless told otherwise; a
 * short-lived one ({@link #configBuilder(boolean)} with {@code shortLived}) takes any free port,
 * so that it can run beside a node on the same machine.
 */
public final class NetworkOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private KeySource keySource;

    /** The network to join: the development network or the one of a key file; one of the two. */
    static final class KeySource {
        @Option(names = "--dev", required = true,
                description = "Use the well-known development key, on loopback only: for trying things on one machine.")
        boolean dev;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "The network key, written by `iridium keygen`.")
        Path keyFile;
    }

    @Option(names = "--bind", paramLabel = "HOST:PORT",
            description = "Where to listen (default: 0.0.0.0:" + Config.DEFAULT_PORT + " for `node`, a free port for"
                    + " other commands; with --dev, 127.0.0.1 on a free port of the dev range). Port 0 picks a free port.")
    private Endpoint bind;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "The address other nodes should use to reach this one (default: derived from --bind).")
    private Endpoint advertise;

    @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
            description = "Nodes to join through, comma-separated.")
    private List<Endpoint> join = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "NAME",
            description = "A DNS name whose A or SRV records list nodes to join through (e.g. a headless service).")
    private String dnsName;

    @Option(names = "--no-multicast", description = "Do not look for nodes on the LAN by multicast.")
    private boolean noMulticast;

    /** Whether {@code --dev} was given. */
    public boolean dev() {
        return keySource != null && keySource.dev;
    }

    /**
     * The configuration these options describe, without name or meter registry.
     *
     * @param shortLived whether the node only runs for one command: then, outside dev mode and
     *                   without {@code --bind}, it listens on a free port rather than the default one
     * @throws CommandLine.ParameterException (a usage error) when neither {@code --dev} nor {@code --key} was given
     */
    public Config.Builder configBuilder(boolean shortLived) {
        boolean dev = dev();
        Path keyFile = keySource != null ? keySource.keyFile : null;
        if (!dev && keyFile == null) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "Missing a network key: give --key FILE (write one with `iridium keygen`),"
                            + " or --dev to try Iridium on this machine.");
        }
        Endpoint listen = bind;
        if (listen == null && shortLived && !dev) {
            listen = new Endpoint("0.0.0.0", 0);
        }
        Config.Builder builder = Config.builder().dev(dev).keyFile(keyFile).bind(listen).advertise(advertise)
                .seeds(join).dnsName(dnsName);
        if (noMulticast) {
            builder.multicast(false);
        }
        return builder;
    }
}
