package io.iridium.cli;

import io.iridium.bench.BenchOptions;
import io.iridium.bench.BenchRunner;
import io.iridium.bench.TlsMode;
import io.iridium.bench.Workload;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iridium bench}: runs one workload side by side against Iridium and its peers (NATS,
 * ZeroMQ) on this machine and prints a table per workload, ending with one
 * {@code ratio WORKLOAD iridium/PEER = X.XX} line per peer. The work is done by
 * {@link BenchRunner} in {@code iridium-bench}; this class only reads the command line.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        header = "Measures Iridium against NATS and ZeroMQ, side by side.",
        description = {
            "Each system's sides run in their own JVMs on 127.0.0.1; the table shows the median,",
            "minimum and maximum of the runs, the ratio Iridium/peer and each process's peak RSS.",
            "NATS needs nats-server on the PATH (bin/bench installs it); the exit code is",
            "non-zero, with the reason, when a peer cannot be started."
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD",
            description = "pubsub, fanout, latency, requests or tunnel.")
    private String workload;

    @Option(names = "--vs", paramLabel = "PEER", defaultValue = "all",
            description = "nats, zmq, all or none (default: ${DEFAULT-VALUE}); tunnel always compares with a raw TLS socket.")
    private String vs;

    @Option(names = "--size", paramLabel = "BYTES", description = "Message size (default: the workload's: 16 B, 64 KiB for tunnel).")
    private Integer size;

    @Option(names = "--count", paramLabel = "N", description = "Measured messages per run (default: the workload's, e.g. 2,000,000 for pubsub at 16 B).")
    private Long count;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs per system (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--tls", paramLabel = "on|off|both", defaultValue = "on",
            description = "Iridium's rows: with TLS, without (dev-mode plaintext), or both (default: ${DEFAULT-VALUE}).")
    private String tls;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "5",
            description = "pubsub and fanout: publish warm-up messages at full speed for at least S seconds (and as many as measured) before each run; "
                    + "tunnel: send through each system that long before the runs (default: ${DEFAULT-VALUE}).")
    private double warmupSeconds;

    @Option(names = "--nats-server", paramLabel = "PATH", description = "The nats-server binary (default: found on the PATH).")
    private Path natsServer;

    @Option(names = "--nats-url", paramLabel = "URL", description = "Use a nats-server already running at nats://127.0.0.1:PORT instead of starting one.")
    private String natsUrl;

    @Option(names = "--nats-pid", paramLabel = "PID", defaultValue = "0", description = "That server's process id, to report its peak RSS.")
    private long natsPid;

    @Override
    public Integer call() {
        Workload chosen = Workload.parse(workload);
        int bytes = size != null ? size : chosen.defaultSize();
        long messages = count != null ? count : chosen.defaultCount(bytes);
        BenchOptions options = new BenchOptions(chosen, BenchOptions.parsePeers(vs), bytes, messages, runs, TlsMode.parse(tls),
                Optional.ofNullable(natsServer), Optional.ofNullable(natsUrl), natsPid, Math.round(warmupSeconds * 1000));
        return BenchRunner.run(options, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
