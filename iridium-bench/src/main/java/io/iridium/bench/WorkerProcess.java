package io.iridium.bench;

import io.iridium.bench.worker.PeakRss;
import io.iridium.bench.worker.Worker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark child JVM ({@link Worker}), seen from the harness: started with the harness's own
 * java binary and class path, driven by the line protocol on its standard streams, its standard
 * error kept in a log file so that a failure can be reported with the child's own words.
 */
final class WorkerProcess implements AutoCloseable {
    /** Same for every system: a fixed heap, so that peak RSS compares like with like. */
    static final List<String> JVM_OPTIONS = ChildJvmOptions.after(
            "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final String label;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path errorLog;
    private long peakRssKb = -1;

    private WorkerProcess(String label, Process process, Path errorLog) {
        this.label = label;
        this.process = process;
        this.errorLog = errorLog;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "bench-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code Worker system role options...} in a new JVM. */
    static WorkerProcess start(String label, String system, String role, List<String> options, Path workDir)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(extraJvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Worker.class.getName());
        command.add(system);
        command.add(role);
        command.addAll(options);
        Path errorLog = Files.createTempFile(workDir, label + "-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectError(errorLog.toFile())
                .start();
        return new WorkerProcess(label, process, errorLog);
    }

    /**
     * Options added to every worker JVM from the environment variable
     * {@code IRIDIUM_BENCH_WORKER_OPTS} (space-separated), e.g. to record a JFR profile of each
     * process: {@code -XX:StartFlightRecording=filename=/tmp/jfr/%p.jfr,settings=profile}.
     */
    static List<String> extraJvmOptions() {
        String extra = System.getenv().getOrDefault("IRIDIUM_BENCH_WORKER_OPTS", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
        lines.add("EXIT");
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits for a line starting with {@code prefix} and returns the rest of it (trimmed).
     *
     * @throws BenchException if the worker reports an error, exits, or stays silent too long
     */
    String await(String prefix, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw failure("sent no " + prefix + " within " + timeoutSeconds + " s");
            }
            if (line.startsWith("ERROR")) {
                throw failure("failed: " + line.substring(5).trim());
            }
            if (line.equals("EXIT")) {
                throw failure("exited (code " + exitCode() + ") before " + prefix);
            }
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length()).trim();
                if (prefix.equals("RSS")) {
                    peakRssKb = Long.parseLong(rest);
                }
                return rest;
            }
        }
    }

    /** Sends one command line. */
    void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** Asks the worker to stop, collects its peak RSS, and waits for it to exit. */
    long stop() throws InterruptedException {
        if (process.isAlive()) {
            try {
                send("STOP");
                await("RSS", 30);
            } catch (IOException | BenchException e) {
                peakRssKb = PeakRss.ofProcess(process.pid());
            }
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return peakRssKb;
    }

    private int exitCode() throws InterruptedException {
        return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private BenchException failure(String what) {
        return new BenchException(label + " " + what + errorTail());
    }

    /** The last lines the worker wrote to standard error, for a failure message. */
    private String errorTail() {
        try {
            List<String> log = Files.readAllLines(errorLog);
            if (log.isEmpty()) {
                return "";
            }
            return "\n  " + String.join("\n  ", log.subList(Math.max(0, log.size() - 12), log.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
