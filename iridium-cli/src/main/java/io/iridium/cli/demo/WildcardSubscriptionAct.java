package io.iridium.cli.demo;

import io.iridium.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Act: one node subscribes to {@code orders.*}; another publishes to {@code invoices.created},
 * {@code orders.created} and {@code orders.shipped}, in that order.
 *
 * <p>The act waits until the publisher's registry knows the subscription, publishes, and prints
 * the events as the subscriber receives them, ending when both {@code orders} events are in. The
 * invoice was published first and delivery is FIFO per publisher and subscriber, so had it
 * matched it would have arrived first: the act counts every event received to show it did not.
 */
final class WildcardSubscriptionAct implements DemoAct {

    private static final String PATTERN = "orders.*";
    private static final List<String> TOPICS = List.of("invoices.created", "orders.created", "orders.shipped");
    private static final long RECHECK_MILLIS = 100;

    @Override
    public String title() {
        return "A wildcard subscription hears two topics";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "Topics are dot-separated names; a subscription's pattern may use * for one token",
                "and > for the rest. Node 2 subscribes to \"" + PATTERN + "\"; the last node publishes to",
                String.join(", ", TOPICS) + ", in that order. Only the two orders events match.");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        DemoNetwork network = stage.network();
        List<DemoNode> live = network.live();
        DemoNode subscriber = live.get(1);
        DemoNode publisher = live.get(live.size() - 1);
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();

        stage.markTime();
        try (Subscription subscription = subscriber.runtime().subscribe(PATTERN, (topic, event) ->
                received.add(new Event(topic, new String(event, StandardCharsets.UTF_8), System.nanoTime())))) {
            stage.narrateTimed(subscriber.name() + " subscribed to '" + subscription.pattern() + "'");
            stage.await(() -> publisher.runtime().routes().hasSubscribers("orders.created"),
                    publisher.name() + " did not learn of the subscription", () -> "its routes have none");
            stage.narrateTimed(publisher.name() + "'s routes list the subscription, learned by gossip");
            for (String topic : TOPICS) {
                publisher.runtime().publish(topic, ("event on " + topic).getBytes(StandardCharsets.UTF_8));
                stage.narrateTimed(publisher.name() + " published to " + topic);
            }
            int orders = 0;
            int events = 0;
            long deadline = stage.deadlineFromNow();
            while (orders < 2) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DemoFailedException("only " + orders + " of the 2 orders events arrived within "
                            + stage.deadline().toSeconds() + " s");
                }
                Event event = received.poll(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, RECHECK_MILLIS),
                        TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                events++;
                orders += event.topic().startsWith("orders.") ? 1 : 0;
                stage.narrateAt(event.atNanos(), subscriber.name() + " received " + event.topic() + ": \"" + event.text() + "\"");
            }
            stage.narrate("");
            stage.narrate(subscriber.name() + " received " + events + " events: both orders events, and not the invoice,");
            stage.narrate("which was published first and so would have arrived first had it matched.");
        }
    }

    private record Event(String topic, String text, long atNanos) {}
}
