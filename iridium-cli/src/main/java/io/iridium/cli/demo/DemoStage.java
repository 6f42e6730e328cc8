package io.iridium.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every act plays on: the {@link DemoNetwork}, the console it narrates to, and the deadline
 * each act has to show what it set out to show.
 *
 * <p>Narration is plain ASCII, indented under the act's heading; times are printed relative to a
 * mark the act sets ({@link #markTime()}), as {@code +1.23 s}.
 */
final class DemoStage {

    private final DemoNetwork network;
    private final PrintWriter out;
    private final Duration deadline;
    private static final long RECHECK_NANOS = 5_000_000;

    private volatile long markNanos = System.nanoTime();

    DemoStage(DemoNetwork network, PrintWriter out, Duration deadline) {
        this.network = network;
        this.out = out;
        this.deadline = deadline;
    }

    DemoNetwork network() {
        return network;
    }

    /** How long an act may wait for what it shows. */
    Duration deadline() {
        return deadline;
    }

    /** The nanoTime at which an act started now will have waited too long. */
    long deadlineFromNow() {
        return System.nanoTime() + deadline.toNanos();
    }

    /**
     * Waits until {@code condition} holds, re-checking it every few milliseconds, or fails the
     * act at the deadline with "{@code expected} within N s" and what {@code seen} says then.
     */
    void await(BooleanSupplier condition, String expected, Supplier<String> seen) {
        long deadline = deadlineFromNow();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new DemoFailedException(expected + " within " + this.deadline.toSeconds() + " s; " + seen.get());
            }
            LockSupport.parkNanos(RECHECK_NANOS);
        }
    }

    /** Starts the clock that {@link #elapsed(long)} and {@link #narrateTimed(String)} measure from. */
    void markTime() {
        markNanos = System.nanoTime();
    }

    /** {@code atNanos} relative to the mark, as {@code +1.23 s}. */
    String elapsed(long atNanos) {
        return String.format(Locale.ROOT, "+%.2f s", (atNanos - markNanos) / 1e9);
    }

    /** Seconds since the mark, as {@code 1.23 s}. */
    String sinceMark() {
        return String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - markNanos) / 1e9);
    }

    /** One indented line. */
    void narrate(String line) {
        out.println(line.isEmpty() ? "" : "  " + line);
        out.flush();
    }

    /** One indented line, prefixed with the time since the mark. */
    void narrateTimed(String line) {
        narrate(String.format(Locale.ROOT, "%8s  %s", elapsed(System.nanoTime()), line));
    }

    /** One indented line, prefixed with the time {@code atNanos} since the mark. */
    void narrateAt(long atNanos, String line) {
        narrate(String.format(Locale.ROOT, "%8s  %s", elapsed(atNanos), line));
    }

    /** A line flush left (headings, blank lines). */
    void print(String line) {
        out.println(line);
        out.flush();
    }
}
