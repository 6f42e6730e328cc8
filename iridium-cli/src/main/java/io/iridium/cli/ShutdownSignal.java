package io.iridium.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a request to stop that a foreground command waits for, so that it
 * can leave the network gracefully and exit with code 0 rather than the signal's 130 or 143.
 *
 * <p>The first signal requests the stop; a second one, while the command is still stopping,
 * exits at once with code 130. Where the JVM does not allow the handlers (it runs with
 * {@code -Xrs}, say), only the command's shutdown hook remains to close the node, and the exit
 * code is the signal's. {@link #close()} restores the previous handlers.
 */
final class ShutdownSignal implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final CountDownLatch requested = new CountDownLatch(1);
    private final List<Runnable> restorers = new ArrayList<>();
    private volatile String reason;

    /** Starts handling SIGINT and SIGTERM; {@code err} hears about a forced exit. */
    void installHandlers(PrintWriter err) {
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, received -> {
                    if (requested.getCount() == 0) {
                        err.println("iridium: second SIG" + received.getName() + ", exiting without waiting");
                        err.flush();
                        System.exit(130);
                    }
                    request("SIG" + received.getName());
                });
                restorers.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // The JVM keeps this signal to itself; the shutdown hook still closes the node.
            }
        }
    }

    /** Requests the stop; the first reason given is kept. */
    void request(String why) {
        if (reason == null) {
            reason = why;
        }
        requested.countDown();
    }

    /** Blocks until a stop is requested, and returns why. */
    String await() throws InterruptedException {
        requested.await();
        return reason;
    }

    @Override
    public void close() {
        restorers.forEach(Runnable::run);
        restorers.clear();
    }
}
