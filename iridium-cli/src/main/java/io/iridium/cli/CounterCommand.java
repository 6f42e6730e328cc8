package io.iridium.cli;

import io.iridium.data.replication.ReplicatedCounter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium counter incr|get NAME}: increments or reads a replicated counter (a CRDT
 * PN-counter) of a replica cluster, and prints its value.
 */
@Command(
        name = "counter",
        mixinStandardHelpOptions = true,
        header = "Increments or reads a replicated counter.",
        description = {
            "Joins the replica cluster (default `replicas`, served by `iridium node --replicas NAME`)",
            "as a temporary replica, increments (incr, by --by, negative to decrement) or reads (get)",
            "the counter NAME at --consistency, and prints its value. MAJORITY (the default) means a",
            "majority of the replicas confirmed the increment, or answered the read."
        })
final class CounterCommand implements Callable<Integer> {

    /** What to do with the counter. */
    enum Action { incr, get }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ReplicaTarget target;

    @Parameters(index = "0", paramLabel = "incr|get", description = "incr or get.")
    private Action action;

    @Parameters(index = "1", paramLabel = "NAME", description = "The counter's key.")
    private String name;

    @Option(names = "--by", paramLabel = "N", defaultValue = "1", description = "How much to add (default: ${DEFAULT-VALUE}).")
    private long by;

    @Override
    public Integer call() {
        try (ReplicaSession session = target.open(spec.commandLine().getErr())) {
            ReplicatedCounter counter = session.replicas().counter(name);
            long value = switch (action) {
                case incr -> ReplicaSession.await(counter.increment(by, target.consistency(), target.timeout()));
                case get -> ReplicaSession.await(counter.value(target.consistency(), target.timeout()));
            };
            spec.commandLine().getOut().println(value);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
