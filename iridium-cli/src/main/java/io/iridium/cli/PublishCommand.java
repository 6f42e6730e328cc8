package io.iridium.cli;

import io.iridium.relay.client.IrisConnection;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iridium pub TOPIC MESSAGE [--count N]}: publishes an event (N times) to every
 * subscription whose pattern matches {@code TOPIC}, and says how many subscribing nodes matched.
 * Publishing to a topic nobody subscribes to is not an error (that is publish/subscribe), but it
 * is said.
 */
@Command(
        name = "pub",
        mixinStandardHelpOptions = true,
        header = "Publishes an event to a topic.",
        description = {
            "Joins the network for a moment and publishes MESSAGE to TOPIC (tokens separated by",
            "'.', no wildcards): every subscription whose pattern matches receives it."
        })
final class PublishCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private RelayClientOptions relay;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic, e.g. orders.created.")
    private String topic;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "The event, sent as UTF-8.")
    private String message;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "Publish the event N times (default: ${DEFAULT-VALUE}).")
    private int count;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        Subjects.validateSubject(topic);
        PrintWriter err = spec.commandLine().getErr();
        byte[] event = message.getBytes(StandardCharsets.UTF_8);
        Optional<IrisConnection> relayed = relay.connect(network);
        if (relayed.isPresent()) {
            try (IrisConnection connection = relayed.get()) {
                for (int sent = 0; sent < count; sent++) {
                    connection.publish(topic, event);
                }
                err.println("Published " + count + (count == 1 ? " event" : " events") + " to '" + topic + "' through "
                        + RelayClientOptions.describe(connection) + ".");
                err.flush();
            }
            return 0;
        }
        try (ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build())) {
            session.awaitNetwork(ShortLivedNode.NETWORK_WAIT, err);
            int subscribers = session.node().routes().subscribersOf(topic).size();
            for (int sent = 0; sent < count; sent++) {
                session.node().publish(topic, event);
            }
            err.println("Published " + count + (count == 1 ? " event" : " events") + " to '" + topic + "'"
                    + (subscribers == 0 ? "; no subscription matches it, so it reached no one."
                            : " (" + subscribers + (subscribers == 1 ? " subscribing node" : " subscribing nodes")
                                    + " matched)."));
            err.flush();
        }
        return 0;
    }
}
