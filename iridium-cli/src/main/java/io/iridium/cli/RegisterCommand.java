package io.iridium.cli;

import io.iridium.data.replication.ReplicatedRegister;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium register set|get NAME [VALUE]}: writes or reads a replicated last-writer-wins
 * register of a replica cluster; prints its value (nothing, with exit code 1, if never written).
 */
@Command(
        name = "register",
        mixinStandardHelpOptions = true,
        header = "Writes or reads a replicated last-writer-wins register.",
        description = {
            "Joins the replica cluster (default `replicas`) as a temporary replica, writes VALUE to",
            "(set) or reads (get) the register NAME at --consistency (default MAJORITY) and prints",
            "its value. Of concurrent writes, the one with the latest hybrid-logical-clock stamp wins."
        })
final class RegisterCommand implements Callable<Integer> {

    /** What to do with the register. */
    enum Action { set, get }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ReplicaTarget target;

    @Parameters(index = "0", paramLabel = "set|get", description = "set or get.")
    private Action action;

    @Parameters(index = "1", paramLabel = "NAME", description = "The register's key.")
    private String name;

    @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1", description = "The value (set).")
    private String value;

    @Override
    public Integer call() {
        if (action == Action.set && value == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "`register set` needs a VALUE");
        }
        try (ReplicaSession session = target.open(spec.commandLine().getErr())) {
            ReplicatedRegister register = session.replicas().register(name);
            Optional<String> current = switch (action) {
                case set -> ReplicaSession.await(register.set(value, target.consistency(), target.timeout()));
                case get -> ReplicaSession.await(register.get(target.consistency(), target.timeout()));
            };
            if (current.isEmpty()) {
                spec.commandLine().getErr().println("register '" + name + "' was never written");
                return 1;
            }
            spec.commandLine().getOut().println(current.get());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
