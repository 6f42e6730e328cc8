package io.iridium.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A thread-safe in-memory writer that a test can wait on: {@link #awaitContains} blocks until the
 * text written so far contains a string, or a deadline passes. Lets a test follow a command that
 * runs on another thread without sleeping.
 */
final class AwaitableOutput extends Writer {

    private final StringBuilder text = new StringBuilder();

    PrintWriter printWriter() {
        return new PrintWriter(this, true);
    }

    @Override
    public synchronized void write(char[] buffer, int offset, int length) {
        text.append(buffer, offset, length);
        notifyAll();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    synchronized String text() {
        return text.toString();
    }

    /** Waits until the output contains {@code expected}; returns all output so far. */
    String awaitContains(String expected, Duration timeout) throws InterruptedException, TimeoutException {
        return awaitAnyOf(timeout, expected);
    }

    /** Waits until the output contains one of {@code expected}; returns all output so far. */
    synchronized String awaitAnyOf(Duration timeout, String... expected) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (java.util.Arrays.stream(expected).noneMatch(one -> text.indexOf(one) >= 0)) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new TimeoutException("none of " + java.util.Arrays.toString(expected) + " within " + timeout
                        + " in output:\n" + text);
            }
            wait(leftMillis);
        }
        return text.toString();
    }
}
