package io.iridium.cli;

import io.iridium.data.replication.ReplicatedSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium set add|remove|list NAME [VALUE]}: changes or lists a replicated add-wins set
 * (a CRDT OR-Set) of a replica cluster; prints the elements, one per line, sorted.
 */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        header = "Adds to, removes from or lists a replicated set.",
        description = {
            "Joins the replica cluster (default `replicas`) as a temporary replica, adds VALUE to,",
            "removes VALUE from, or lists the set NAME at --consistency (default MAJORITY), and",
            "prints its elements one per line. An add concurrent with a remove wins."
        })
final class SetCommand implements Callable<Integer> {

    /** What to do with the set. */
    enum Action { add, remove, list }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ReplicaTarget target;

    @Parameters(index = "0", paramLabel = "add|remove|list", description = "add, remove or list.")
    private Action action;

    @Parameters(index = "1", paramLabel = "NAME", description = "The set's key.")
    private String name;

    @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1", description = "The element (add and remove).")
    private String value;

    @Override
    public Integer call() {
        if (action != Action.list && value == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "`set " + action + "` needs a VALUE");
        }
        try (ReplicaSession session = target.open(spec.commandLine().getErr())) {
            ReplicatedSet set = session.replicas().orSet(name);
            Set<String> elements = switch (action) {
                case add -> ReplicaSession.await(set.add(value, target.consistency(), target.timeout()));
                // above LOCAL the update reads first, so a remove removes what that level observed
                case remove -> ReplicaSession.await(set.remove(value, target.consistency(), target.timeout()));
                case list -> ReplicaSession.await(set.elements(target.consistency(), target.timeout()));
            };
            new TreeSet<>(elements).forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
