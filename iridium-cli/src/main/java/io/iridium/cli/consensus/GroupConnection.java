package io.iridium.cli.consensus;

import io.iridium.Node;
import io.iridium.cli.NetworkOptions;
import io.iridium.cli.ShortLivedNode;
import io.iridium.consensus.group.GroupClient;
import io.iridium.consensus.group.GroupUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The options every consensus command shares (a picocli mixin): which network to join (the
 * shared {@link NetworkOptions}: {@code --dev} or {@code --key}, {@code --join}, {@code --bind},
 * {@code --no-multicast}, ...), which group to talk to ({@code --group}) and how long to wait
 * ({@code --timeout}). {@link #open()} starts a {@link ShortLivedNode}, waits until it routes the
 * group's cluster, and hands back a client session over it.
 */
public final class GroupConnection {

    @Mixin
    private NetworkOptions network;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "kv",
            description = "The Raft group's cluster name (default: ${DEFAULT-VALUE}).")
    private String group;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to keep trying, e.g. 500ms, 5s (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    /** A short-lived node with a session on the group; closing it leaves the network. */
    public record Session(ShortLivedNode shortLived, GroupClient client, String group) implements AutoCloseable {
        /**
         * The node the session runs over.
         *
         * @return the node
         */
        public Node node() {
            return shortLived.node();
        }

        @Override
        public void close() {
            shortLived.close();
        }
    }

    /**
     * Reports that the group did not answer in time: one line on standard error, exit code 1.
     *
     * @param spec the command
     * @param e    what happened
     * @return the exit code
     */
    static int unavailable(CommandSpec spec, GroupUnavailableException e) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
    }

    /** What a command does with an open session: returns the command's exit code. */
    @FunctionalInterface
    interface Work {
        int run(Session session) throws Exception;
    }

    /**
     * Opens a session, runs {@code work} in it and closes it; when the group cannot be reached,
     * says why on standard error and exits with 1.
     */
    int run(CommandSpec spec, Work work) throws Exception {
        try (Session session = open()) {
            return work.run(session);
        } catch (GroupUnavailableException e) {
            return unavailable(spec, e);
        }
    }

    String group() {
        return group;
    }

    /** Overrides the group (for {@code iridium raft ... GROUP}). */
    void group(String name) {
        this.group = name;
    }

    /**
     * Joins the network and waits (up to the timeout) until some node serves the group.
     *
     * @return the session
     * @throws CommandLine.ParameterException when neither --dev nor --key was given
     */
    public Session open() {
        ShortLivedNode shortLived = ShortLivedNode.start(network.configBuilder(true).build());
        Node node = shortLived.node();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (node.servers(group).isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L);
        }
        return new Session(shortLived, new GroupClient(node, group, timeout), group);
    }
}
