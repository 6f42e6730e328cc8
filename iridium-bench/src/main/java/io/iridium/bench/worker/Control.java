package io.iridium.bench.worker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker's side of the line protocol with the harness: the worker reports on standard output
 * ({@code READY}, {@code WARM}, {@code START}, {@code END}, {@code RESULT}, {@code RSS}), and
 * reads commands ({@code GO}, {@code RUN x}, {@code STOP}) from standard input on a daemon
 * thread, so that a measurement loop can poll for them without blocking.
 *
 * <p>Standard output is reserved for the protocol: the worker's libraries log to standard error.
 * End of input counts as {@code STOP}, so a worker whose harness died exits too.
 */
public final class Control {
    private final PrintStream out;
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    private volatile boolean go;

    /** Reads commands from this process's standard input; replies on {@code out}. */
    Control(PrintStream out) {
        this.out = out;
        Thread reader = new Thread(this::readCommands, "bench-control");
        reader.setDaemon(true);
        reader.start();
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("GO")) {
                    go = true;
                }
                commands.add(line);
            }
        } catch (java.io.IOException e) {
            // the harness went away: treat as STOP below
        }
        commands.add("STOP");
    }

    /** Sends one protocol line to the harness. */
    public synchronized void report(String line) {
        out.println(line);
        out.flush();
    }

    /** Whether {@code GO} has arrived: measurement loops poll this during warm-up. */
    public boolean go() {
        return go;
    }

    /** Waits for the next command (one of {@code GO}, {@code RUN ...}, {@code STOP}). */
    public String next() throws InterruptedException {
        return commands.take();
    }

    /** Waits until {@code command} arrives, skipping others; false on {@code STOP} or timeout. */
    public boolean await(String command, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            String next = left <= 0 ? null : commands.poll(left, TimeUnit.NANOSECONDS);
            if (next == null || next.equals("STOP")) {
                return false;
            }
            if (next.equals(command)) {
                return true;
            }
        }
    }

    /** Waits for {@code STOP}, then reports this process's peak resident set size. */
    public void awaitStopAndReportRss() throws InterruptedException {
        while (!next().equals("STOP")) {
            // ignore anything else
        }
        report("RSS " + PeakRss.selfKilobytes());
    }
}
