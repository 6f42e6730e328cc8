package io.iridium.cli;

import io.iridium.Subscription;
import io.iridium.relay.client.IrisConnection;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium sub PATTERN [--count N]}: subscribes and prints each event as
 * {@code topic: message}, one line each, in arrival order (the subscription handles one event at
 * a time, so each publisher's events stay in order). It exits with code 0 after N events when
 * {@code --count} is given, otherwise on SIGINT or SIGTERM, leaving gracefully either way.
 * Status lines go to standard error, so standard output holds only events.
 */
@Command(
        name = "sub",
        mixinStandardHelpOptions = true,
        header = "Subscribes to topics and prints their events.",
        description = {
            "Joins the network and prints every event published to a topic matching PATTERN, as",
            "`topic: message`. In patterns, * matches one token and a final > the rest, e.g.",
            "orders.* or metrics.>. Exits after N events with --count, otherwise on Ctrl-C."
        })
final class SubscribeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private RelayClientOptions relay;

    @Parameters(index = "0", paramLabel = "PATTERN", description = "The topics to receive, e.g. orders.*.")
    private String pattern;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N events.")
    private Integer count;

    /** Requested by SIGINT, SIGTERM or the N-th event; tests request it directly. */
    final ShutdownSignal stopSignal = new ShutdownSignal();

    @Override
    public Integer call() throws InterruptedException {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        Subjects.validatePattern(pattern);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AtomicInteger received = new AtomicInteger();

        stopSignal.installHandlers(err);
        Optional<IrisConnection> relayed = relay.connectForPattern(network, pattern);
        if (relayed.isPresent()) {
            try (IrisConnection connection = relayed.get()) {
                connection.subscribe(pattern, new io.iridium.relay.client.IrisTopicHandler() {
                    @Override
                    public void handleEvent(byte[] event) {
                        handleEvent(pattern, event);
                    }

                    @Override
                    public void handleEvent(String topic, byte[] event) {
                        printEvent(out, received, topic, event);
                    }
                });
                err.println("Subscribed to '" + pattern + "' through " + RelayClientOptions.describe(connection) + "; "
                        + (count != null ? "exiting after " + count + (count == 1 ? " event." : " events.") : "Ctrl-C to leave."));
                err.flush();
                String why = stopSignal.await();
                err.println(why + ": leaving.");
                err.flush();
            } finally {
                stopSignal.close();
            }
            return 0;
        }
        try (ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build());
                Subscription subscription = session.node().subscribe(pattern,
                        (topic, event) -> printEvent(out, received, topic, event))) {
            err.println("Subscribed to '" + subscription.pattern() + "' as " + session.describe() + "; "
                    + (count != null ? "exiting after " + count + (count == 1 ? " event." : " events.") : "Ctrl-C to leave."));
            err.flush();
            String why = stopSignal.await();
            err.println(why + ": leaving the network.");
            err.flush();
        } finally {
            stopSignal.close();
        }
        return 0;
    }

    /** Prints one event, and asks to stop after the {@code --count}-th. */
    private void printEvent(PrintWriter out, AtomicInteger received, String topic, byte[] event) {
        int number = received.incrementAndGet();
        if (count != null && number > count) {
            return;
        }
        out.println(topic + ": " + new String(event, StandardCharsets.UTF_8));
        out.flush();
        if (count != null && number == count) {
            stopSignal.request("received " + count + (count == 1 ? " event" : " events"));
        }
    }
}
