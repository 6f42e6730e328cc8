package io.iridium.cli.consensus;

import io.iridium.consensus.group.GroupClient;
import io.iridium.consensus.machine.Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@code iridium lock acquire|release NAME}: the locks of a Raft group. A lock belongs to a
 * session; {@code acquire} prints the session id, which {@code release} (or a later
 * {@code acquire} that renews the lease) takes with {@code --session}. The lease runs out by
 * itself after {@code --ttl} unless renewed. Every acquisition gets a fencing token larger than
 * any before it: pass it to the resource the lock protects.
 */
@Command(name = "lock", mixinStandardHelpOptions = true, header = "Takes and releases the locks of a Raft group.",
        subcommands = {LockCommand.Acquire.class, LockCommand.Release.class})
public final class LockCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    private static GroupClient session(GroupConnection.Session s, String sessionHex, Duration timeout) {
        return sessionHex == null ? s.client()
                : GroupClient.resume(s.node(), s.group(), timeout, HexFormat.fromHexDigitsToLong(sessionHex));
    }

    /** {@code lock acquire NAME}. */
    @Command(name = "acquire", mixinStandardHelpOptions = true,
            header = "Takes a lock (or waits for it with --wait); prints its fencing token and session.")
    static final class Acquire implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "30s",
                description = "The lease: the lock frees itself this long after the last renewal (default: ${DEFAULT-VALUE}).")
        Duration ttl;
        @Option(names = "--wait", description = "Wait in line until the lock is granted (up to --timeout).")
        boolean await;
        @Option(names = "--session", paramLabel = "HEX", description = "Continue this session (renews its lease).")
        String sessionHex;

        @Override
        public Integer call() throws Exception {
            return connection.run(spec, s -> {
                GroupClient client = session(s, sessionHex, Duration.ofSeconds(30));
                PrintWriter out = spec.commandLine().getOut();
                Result result = client.acquire(name, ttl);
                while (await && result instanceof Result.Queued) {
                    Thread.sleep(Math.max(50, ttl.toMillis() / 3));
                    result = client.acquire(name, ttl);        // renews the place in line
                }
                String session = HexFormat.of().toHexDigits(client.clientId());
                switch (result) {
                    case Result.Granted g -> out.println("granted " + name + ": fencing token " + g.token() + ", session "
                            + session + ", lease until log time " + g.expiresAt());
                    case Result.Queued q -> out.println("queued for " + name + " at position " + q.position() + ", session "
                            + session);
                    default -> out.println(result);
                }
                out.flush();
                return result instanceof Result.Granted ? 0 : 1;
            });
        }
    }

    /** {@code lock release NAME --session HEX}. */
    @Command(name = "release", mixinStandardHelpOptions = true, header = "Releases a lock a session holds.")
    static final class Release implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--session", paramLabel = "HEX", required = true,
                description = "The session that holds the lock, as printed by `lock acquire`.")
        String sessionHex;

        @Override
        public Integer call() throws Exception {
            return connection.run(spec, s -> {
                boolean held = session(s, sessionHex, Duration.ofSeconds(30)).release(name);
                spec.commandLine().getOut().println(held ? "released " + name : "session did not hold " + name);
                spec.commandLine().getOut().flush();
                return held ? 0 : 1;
            });
        }
    }
}
