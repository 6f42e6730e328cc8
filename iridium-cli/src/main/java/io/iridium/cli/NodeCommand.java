package io.iridium.cli;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Member;
import io.iridium.Node;
import io.iridium.cli.admin.AdminServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iridium node}: runs one node in the foreground until SIGINT or SIGTERM, printing the
 * members that join and leave, and serving the HTTP admin API ({@code /status}, {@code /metrics}).
 *
 * <p>Lifecycle: build a {@link Config} from the options, start the node, print what it sees,
 * wait for a signal, then leave gracefully (the others learn at once that it left rather than
 * having to detect a failure) and exit with code 0. A shutdown hook closes the node too, for any
 * other way the JVM may end.
 */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        header = "Runs a node in the foreground until Ctrl-C.",
        description = {
            "Joins the network, prints the members that join and leave, and serves /status and",
            "/metrics over HTTP. On Ctrl-C (SIGINT) or SIGTERM it leaves the network gracefully",
            "and exits with 0.",
            "",
            "Try it: run `iridium node --dev` in two terminals; the nodes find each other."
        })
final class NodeCommand implements Callable<Integer> {

    /** Dev nodes serve HTTP on the first free port from here, so the first one is at a known URL. */
    static final int DEV_HTTP_FIRST_PORT = 8946;
    private static final int DEV_HTTP_PORT_ATTEMPTS = 100;

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private io.iridium.cli.consensus.RaftNodeOptions raft;

    @Mixin
    private RelayNodeOptions relay;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Serve /status and /metrics here (default with --dev: 127.0.0.1 on the first free port from "
                    + DEV_HTTP_FIRST_PORT + "; otherwise none).")
    private Endpoint http;

    @Option(names = "--name", paramLabel = "NAME", description = "A readable name for this node (default: host name and process id).")
    private String name;

    @Option(names = "--replicas", paramLabel = "CLUSTER",
            description = "Host a replica of this replica cluster (the data of `iridium counter|set|register`, default cluster `replicas`).")
    private String replicaCluster;

    /** Requested by SIGINT or SIGTERM; tests request it directly. */
    final ShutdownSignal stopSignal = new ShutdownSignal();

    @Override
    public Integer call() throws InterruptedException {
        Config.Builder builder = configBuilder();
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Config config = builder.meterRegistry(registry).build();

        stopSignal.installHandlers(spec.commandLine().getErr());
        RunningNode running = new RunningNode(registry, out);
        Thread hook = new Thread(running::close, "iridium-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            running.start(config, this::startAdminServer);
            io.iridium.cli.consensus.RaftNodeOptions.Member raftMember = raft.start(running.node(), out);
            RelayNodeOptions.Running relayServer;
            try {
                relayServer = relay.start(running.node(), network.dev(), out);
            } catch (RuntimeException relayFailed) {
                raftMember.close();   // the relay refused to start: leave nothing running behind
                throw relayFailed;
            }
            io.iridium.data.replication.Replicas replicas = replicaCluster == null ? null
                    : io.iridium.data.replication.Replicas.join(running.node(), replicaCluster);
            printBanner(out, running, config);
            String why = stopSignal.await();
            out.println(why + ": leaving the network...");
            out.flush();
            if (replicas != null) {
                replicas.close();
            }
            relayServer.close();
            raftMember.close();
            running.close();
            out.println("Left. Bye.");
            out.flush();
            return 0;
        } finally {
            running.close();
            stopSignal.close();
            removeHook(hook);
        }
    }

    /** The configuration the options describe, without its meter registry. */
    Config.Builder configBuilder() {
        return network.configBuilder(false).name(name);
    }

    private AdminServer startAdminServer(Node node, PrometheusMeterRegistry registry) {
        if (http != null) {
            return AdminServer.start(node, registry, http);
        }
        if (network.dev()) {
            return AdminServer.startOnFirstFreePort(node, registry, "127.0.0.1", DEV_HTTP_FIRST_PORT, DEV_HTTP_PORT_ATTEMPTS);
        }
        return null;
    }

    private static void printBanner(PrintWriter out, RunningNode running, Config config) {
        Node node = running.node();
        Member self = node.self();
        out.println("Node " + self.name() + " (" + self.id().toHex() + ") is up at " + node.address()
                + (config.dev() ? " on the development network (loopback only)." : "."));
        out.println("Finding other nodes through: " + discoverySummary(config) + ".");
        AdminServer admin = running.admin();
        if (admin != null) {
            out.println("Admin API: " + admin.uri() + "/status and " + admin.uri() + "/metrics"
                    + "  (try `iridium status --node " + admin.uri() + "`)");
        }
        String others = node.members().stream()
                .filter(member -> !member.id().equals(self.id()))
                .sorted(Comparator.comparing(Member::name))
                .map(member -> member.name() + " (" + member.id() + ", " + member.state() + ")")
                .collect(Collectors.joining(", "));
        out.println("Members so far: " + (others.isEmpty() ? "only this node." : others));
        out.println("Press Ctrl-C to leave the network.");
        out.println();
        out.flush();
    }

    private static String discoverySummary(Config config) {
        List<String> ways = new ArrayList<>();
        if (!config.seeds().isEmpty()) {
            ways.add("seeds " + config.seeds().stream().map(Endpoint::toString).collect(Collectors.joining(", ")));
        }
        config.dnsName().ifPresent(dns -> ways.add("DNS name " + dns));
        if (config.multicast()) {
            ways.add("LAN multicast");
        }
        if (config.dev()) {
            ways.add("loopback");
        }
        return ways.isEmpty() ? "nothing (give --join, --dns, or allow multicast); others can still join it" : String.join(", ", ways);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    /** Starts the admin server once the node is up; returns null for none. */
    @FunctionalInterface
    interface AdminServerStarter {
        AdminServer start(Node node, PrometheusMeterRegistry registry);
    }

    /**
     * The node and what runs beside it (membership printer, admin server, JVM meters), closed
     * once and in reverse order of starting, by whichever comes first: the command or the hook.
     */
    private static final class RunningNode {
        private final PrometheusMeterRegistry registry;
        private final PrintWriter out;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile JvmMeters jvmMeters;
        private volatile Node node;
        private volatile MembershipConsole console;
        private volatile AdminServer admin;

        RunningNode(PrometheusMeterRegistry registry, PrintWriter out) {
            this.registry = registry;
            this.out = out;
        }

        void start(Config config, AdminServerStarter adminStarter) {
            jvmMeters = JvmMeters.bindTo(registry);
            node = Iridium.start(config);
            console = new MembershipConsole(out, Clock.systemDefaultZone());
            node.onMembershipChange(console);
            admin = adminStarter.start(node, registry);
        }

        Node node() {
            return node;
        }

        AdminServer admin() {
            return admin;
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (admin != null) {
                admin.close();
            }
            if (node != null) {
                node.close();
            }
            if (console != null) {
                console.close();
            }
            if (jvmMeters != null) {
                jvmMeters.close();
            }
            registry.close();
        }
    }
}
