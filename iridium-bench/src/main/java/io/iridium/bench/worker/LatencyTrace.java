package io.iridium.bench.worker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every measured round trip of a latency run, for finding out where its tail comes from: when
 * the environment variable {@value #DIRECTORY_VARIABLE} names a directory, the latency role keeps
 * each request's send time (nanoseconds after the run began) and its round trip, and writes them
 * there as {@code latency-SYSTEM-PID.txt}, one request per line. {@link
 * io.iridium.bench.LatencyPhases} reads such files. Two preallocated arrays, so recording costs
 * no allocation inside the measured loop.
 */
final class LatencyTrace {
    static final String DIRECTORY_VARIABLE = "IRIDIUM_BENCH_LATENCY_TRACE";

    private final long[] sentNanos;
    private final long[] roundTripNanos;
    private int recorded;

    private LatencyTrace(int capacity) {
        sentNanos = new long[capacity];
        roundTripNanos = new long[capacity];
    }

    /** A trace of up to {@code count} requests if the environment asks for one, else null. */
    static LatencyTrace ifRequested(long count) {
        String directory = System.getenv(DIRECTORY_VARIABLE);
        if (directory == null || directory.isBlank()) {
            return null;
        }
        return new LatencyTrace((int) Math.min(count, Integer.MAX_VALUE - 8));
    }

    /** Records one request, sent {@code sentNanos} after the run began; ignored once full. */
    void record(long sentNanos, long roundTripNanos) {
        if (recorded < this.sentNanos.length) {
            this.sentNanos[recorded] = sentNanos;
            this.roundTripNanos[recorded] = roundTripNanos;
            recorded++;
        }
    }

    /** Forgets what was recorded (the warm-up's requests), keeping the arrays. */
    void clear() {
        recorded = 0;
    }

    /** Writes the trace into the directory the environment names; returns the file written. */
    Path write(String system) throws IOException {
        Path directory = Path.of(System.getenv(DIRECTORY_VARIABLE));
        Files.createDirectories(directory);
        Path file = directory.resolve("latency-" + system + "-" + ProcessHandle.current().pid() + ".txt");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < recorded; i++) {
                out.write(sentNanos[i] + " " + roundTripNanos[i]);
                out.newLine();
            }
        }
        return file;
    }
}
