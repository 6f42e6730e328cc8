package io.iridium.cli;

import io.iridium.data.replication.Consistency;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that say which replica cluster a data command ({@code counter}, {@code set},
 * {@code register}) works on and how: the network to join, the cluster, the consistency level
 * and how long to wait for it. A picocli mixin, shared so that the three commands read alike.
 */
final class ReplicaTarget {

    @Mixin
    private NetworkOptions network;

    @Option(names = "--consistency", paramLabel = "LEVEL", defaultValue = "MAJORITY",
            description = "LOCAL, MAJORITY or ALL (default: ${DEFAULT-VALUE}).")
    private Consistency consistency;

    @Option(names = "--cluster", paramLabel = "CLUSTER", defaultValue = "replicas",
            description = "The replica cluster (default: ${DEFAULT-VALUE}).")
    private String cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long to wait for the consistency level (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    /** Joins the cluster as a temporary replica for one operation. */
    ReplicaSession open(PrintWriter err) {
        return ReplicaSession.open(network, cluster, err);
    }

    Consistency consistency() {
        return consistency;
    }

    Duration timeout() {
        return timeout;
    }
}
