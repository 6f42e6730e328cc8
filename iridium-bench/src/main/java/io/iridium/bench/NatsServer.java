package io.iridium.bench;

import io.iridium.bench.worker.PeakRss;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code nats-server} the harness runs for the NATS rows: started on 127.0.0.1 on a free port,
 * with its defaults otherwise, and stopped when the benchmark ends. The binary comes from
 * {@code --nats-server} or the PATH ({@code bin/bench} installs Debian's package when missing).
 */
final class NatsServer implements AutoCloseable {
    private final Process process; // null when attached to a server someone else started
    private final long pid;
    private final int port;
    private final String version;

    private NatsServer(Process process, long pid, int port, String version) {
        this.process = process;
        this.pid = pid;
        this.port = port;
        this.version = version;
    }

    /**
     * Uses a server already running at {@code url} (127.0.0.1 only), started by
     * {@code bin/bench}; {@link #close()} leaves it running for its owner to stop.
     */
    static NatsServer attach(String url, long pid, Optional<Path> binary) {
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        if (!accepts(port)) {
            throw new BenchException("cannot use NATS: nothing listens at " + url);
        }
        String version = binary.or(NatsServer::onPath).map(NatsServer::versionOf).orElse("unknown version");
        return new NatsServer(null, pid, port, version);
    }

    /** Starts the server; a {@link BenchException} says why when it cannot. */
    static NatsServer start(Optional<Path> binary, Path workDir) throws InterruptedException {
        Path executable = binary.or(NatsServer::onPath).orElseThrow(() -> new BenchException(
                "cannot start NATS: no nats-server on the PATH (bin/bench installs it with apt-get, "
                        + "or give --nats-server PATH, or leave NATS out with --vs zmq)"));
        if (!Files.isExecutable(executable)) {
            throw new BenchException("cannot start NATS: " + executable + " is not an executable file");
        }
        String version = versionOf(executable);
        int port = FreePorts.tcp();
        try {
            Path log = Files.createTempFile(workDir, "nats-server-", ".log");
            Process process = new ProcessBuilder(executable.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!accepts(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new BenchException("cannot start NATS: nats-server did not listen on 127.0.0.1:" + port
                            + "; its log says: " + String.join(" | ", Files.readAllLines(log, StandardCharsets.UTF_8)));
                }
                Thread.sleep(50);
            }
            return new NatsServer(process, process.pid(), port, version);
        } catch (IOException e) {
            throw new BenchException("cannot start NATS: " + e.getMessage(), e);
        }
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/usr/local/bin";
        for (String directory : path.split(":")) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, "nats-server");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static String versionOf(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(5, TimeUnit.SECONDS);
            return text.isEmpty() ? "unknown" : text.replaceFirst("^nats-server:\\s*", "");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The client URL: always 127.0.0.1. */
    String url() {
        return "nats://127.0.0.1:" + port;
    }

    String version() {
        return version;
    }

    /** The server's peak RSS so far, in kB. */
    long peakRssKb() {
        return pid > 0 ? PeakRss.ofProcess(pid) : -1;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static List<String> describe(NatsServer server) {
        return server == null ? List.of() : List.of("nats-server " + server.version + " on " + server.url());
    }
}
