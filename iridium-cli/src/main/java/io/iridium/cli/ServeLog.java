package io.iridium.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code iridium serve} tells its operator: one timestamped line on standard error per
 * request or tunnel handled, and each broadcast's text on standard output.
 *
 * <pre>
 * 12:01:02.123  request #1  5 bytes -&gt; reply of 5 bytes in 0.4 ms
 * 12:01:02.301  request #2  3 bytes -&gt; error: grep: bad regex
 * 12:01:03.010  tunnel #1  closed: echoed 128 messages, 8388608 bytes
 * </pre>
 *
 * <p>Handlers run on many virtual threads at once; each line is printed whole under the
 * writer's lock, and numbers are handed out atomically.
 */
final class ServeLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tunnels = new AtomicLong();

    ServeLog(PrintWriter out, PrintWriter err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** The number of the next request. */
    long nextRequest() {
        return requests.incrementAndGet();
    }

    /** The number of the next tunnel. */
    long nextTunnel() {
        return tunnels.incrementAndGet();
    }

    void replied(long number, int requestBytes, int replyBytes, long startedNanos) {
        line(String.format(Locale.ROOT, "request #%d  %d bytes -> reply of %d bytes in %.1f ms",
                number, requestBytes, replyBytes, (System.nanoTime() - startedNanos) / 1e6));
    }

    void failed(long number, int requestBytes, String why) {
        line("request #" + number + "  " + requestBytes + " bytes -> error: " + why);
    }

    void tunnel(long number, String what) {
        line("tunnel #" + number + "  " + what);
    }

    void dropped(Throwable reason) {
        line("dropped: " + reason.getMessage());
    }

    /** A broadcast's bytes as text, on standard output. */
    void broadcast(byte[] message) {
        synchronized (out) {
            out.println(new String(message, StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** A line on standard error with the time. */
    void line(String text) {
        String line = LocalTime.now(clock).format(TIME) + "  " + text;
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }
}
