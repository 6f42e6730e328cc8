package io.iridium.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code iridium} command: the root of the subcommands, and the program's entry point.
 *
 * <p>{@link #commandLine()} builds the whole command tree with its converters and error
 * handling; {@link #main(String[])} runs it and exits with its exit code. Tests call
 * {@code commandLine().execute(...)} to run a command in-process.
 */
@Command(
        name = "iridium",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Iridium: a decentralized messaging fabric for the JVM.",
            "",
            "New here? Run `iridium demo` to watch five nodes find each other, serve requests,",
            "publish, tunnel a file and survive a crash."
        },
        subcommands = {
            NodeCommand.class,
            KeygenCommand.class,
            StatusCommand.class,
            DemoCommand.class,
            ServeCommand.class,
            RequestCommand.class,
            BroadcastCommand.class,
            PublishCommand.class,
            SubscribeCommand.class,
            TunnelCommand.class,
            CounterCommand.class, SetCommand.class, RegisterCommand.class,
            io.iridium.cli.consensus.KvCommand.class,
            io.iridium.cli.consensus.LockCommand.class,
            io.iridium.cli.consensus.RaftCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Run `iridium COMMAND --help` for a command's options."})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the program and exits the JVM with the command's exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree: converters, and failures reported as one clear line. */
    public static CommandLine commandLine() {
        return commandLine(Stdio.system());
    }

    /** The command tree with {@code stdio} as the binary standard input and output (for tests). */
    static CommandLine commandLine(Stdio stdio) {
        CommandLine commandLine = new CommandLine(new Main(), new CommandFactory(stdio));
        commandLine.registerConverter(io.iridium.Endpoint.class, new EndpointConverter());
        commandLine.registerConverter(java.time.Duration.class, new DurationConverter());
        commandLine.setParameterExceptionHandler(new UsageErrorReporter());
        commandLine.setExecutionExceptionHandler(new FailureReporter());
        return commandLine;
    }

    /** {@code iridium} with no command: a usage error that shows what there is to run. */
    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        commandLine.getErr().println("Missing a command; new here? Try `iridium demo`.");
        commandLine.getErr().println();
        commandLine.usage(commandLine.getErr());
        return spec.exitCodeOnInvalidInput();
    }
}
