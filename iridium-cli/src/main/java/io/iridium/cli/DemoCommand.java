package io.iridium.cli;

import io.iridium.cli.demo.Demo;
import io.iridium.cli.demo.DemoFailedException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iridium demo}: runs the guided demonstration ({@link Demo}) and exits with code 0 when
 * it showed everything, or 1 with the reason when an act missed its deadline.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        header = "Runs " + Demo.NODE_COUNT + " nodes here and narrates what they do (start here).",
        description = {
            "The nodes find each other over real loopback sockets, one crashes and the others",
            "detect it; then three serve a cluster: requests spread over them, a broadcast, a",
            "wildcard subscription, an 8 MiB file through a tunnel, and a member crashing under",
            "load with every request accounted for. Exits with 1, saying why, if an act misses",
            "its deadline."
        })
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--deadline", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long each act may take before the demo gives up (default: ${DEFAULT-VALUE}).")
    private int deadlineSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (deadlineSeconds <= 0) {
            throw new IllegalArgumentException("--deadline must be a positive number of seconds, got " + deadlineSeconds);
        }
        quietNodeLogs();
        try {
            Demo.standard(Duration.ofSeconds(deadlineSeconds)).run(spec.commandLine().getOut());
            return 0;
        } catch (DemoFailedException e) {
            throw new CommandFailure("the demo failed: " + e.getMessage());
        }
    }

    /**
     * The demo narrates what the nodes do; their own informational logs would drown it. Unless the
     * user chose a level, only warnings are logged (effective when logging has not started yet,
     * as in a fresh {@code iridium demo} process).
     */
    private static void quietNodeLogs() {
        String property = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(property) == null) {
            System.setProperty(property, "warn");
        }
    }
}
