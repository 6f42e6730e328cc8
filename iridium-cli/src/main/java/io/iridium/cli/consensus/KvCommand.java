package io.iridium.cli.consensus;

import io.iridium.consensus.group.Consistency;
import io.iridium.consensus.machine.KeyValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code iridium kv get|put|delete|cas|list}: the replicated KV store of a Raft group, from a
 * short-lived node. Writes print the store revision they created; reads are linearizable unless
 * {@code --stale} (or {@code --consistency stale|lease}). A missing key exits with 1 (like
 * {@code grep}), a failed compare-and-set too.
 */
@Command(name = "kv", mixinStandardHelpOptions = true,
        header = "Reads and writes the KV store of a Raft group.",
        subcommands = {KvCommand.Get.class, KvCommand.Put.class, KvCommand.Delete.class, KvCommand.Cas.class,
            KvCommand.ListKeys.class})
public final class KvCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code kv get KEY}. */
    @Command(name = "get", mixinStandardHelpOptions = true, header = "Prints a key's value (exit 1 when absent).")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Option(names = "--stale", description = "Read from whichever member answers, without asking the leader.")
        boolean stale;
        @Option(names = "--consistency", paramLabel = "MODE", defaultValue = "linearizable",
                description = "linearizable (default), stale, or lease: answered from the leader's lease without a"
                        + " round trip, assuming bounded clock drift between members.")
        String consistency;

        @Override
        public Integer call() throws Exception {
            Consistency mode;
            try {
                mode = stale ? Consistency.STALE : Consistency.valueOf(consistency.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--consistency must be linearizable, stale or lease, not '" + consistency + "'");
            }
            return connection.run(spec, s -> {
                Optional<KeyValue> kv = s.client().get(key, mode);
                PrintWriter out = spec.commandLine().getOut();
                kv.ifPresent(v -> out.println(v.valueText()));
                out.flush();
                if (kv.isEmpty()) {
                    spec.commandLine().getErr().println("no key " + key);
                }
                return kv.isPresent() ? 0 : 1;
            });
        }
    }

    /** {@code kv put KEY VALUE}. */
    @Command(name = "put", mixinStandardHelpOptions = true, header = "Sets a key; prints the new revision.")
    static final class Put implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() throws Exception {
            return connection.run(spec, s -> {
                long revision = s.client().put(key, value);
                spec.commandLine().getOut().println("revision " + revision);
                spec.commandLine().getOut().flush();
                return 0;
            });
        }
    }

    /** {@code kv delete KEY}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, header = "Removes a key (exit 1 when it was absent).")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() throws Exception {
            return connection.run(spec, s -> {
                boolean existed = s.client().delete(key);
                spec.commandLine().getOut().println(existed ? "deleted " + key : "no key " + key);
                spec.commandLine().getOut().flush();
                return existed ? 0 : 1;
            });
        }
    }

    /** {@code kv cas KEY EXPECTED NEW}. */
    @Command(name = "cas", mixinStandardHelpOptions = true,
            header = "Sets KEY to NEW only if it holds EXPECTED (exit 1 when it did not).")
    static final class Cas implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "EXPECTED", description = "The value required; with --absent, omit it.",
                arity = "0..1")
        String expected;
        @Parameters(index = "2", paramLabel = "NEW", arity = "0..1")
        String value;
        @Option(names = "--absent", description = "Require that the key does not exist (then: cas KEY NEW --absent).")
        boolean absent;

        @Override
        public Integer call() throws Exception {
            String required = absent ? null : expected;
            String next = absent ? (value != null ? value : expected) : value;
            if (next == null || (!absent && expected == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Give KEY EXPECTED NEW, or KEY NEW --absent.");
            }
            return connection.run(spec, s -> {
                boolean swapped = s.client().compareAndSet(key, required, next);
                spec.commandLine().getOut().println(swapped ? "swapped" : "not swapped: " + key + " did not hold "
                        + (required == null ? "nothing" : required));
                spec.commandLine().getOut().flush();
                return swapped ? 0 : 1;
            });
        }
    }

    /** {@code kv list [PREFIX]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, header = "Lists keys by prefix, in order, as KEY=VALUE.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "PREFIX", defaultValue = "", arity = "0..1")
        String prefix;
        @Option(names = "--limit", defaultValue = "1000", description = "At most this many keys (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            return connection.run(spec, s -> {
                List<KeyValue> keys = s.client().list(prefix, limit);
                PrintWriter out = spec.commandLine().getOut();
                keys.forEach(kv -> out.println(kv.key() + "=" + kv.valueText()));
                out.flush();
                return 0;
            });
        }
    }
}
