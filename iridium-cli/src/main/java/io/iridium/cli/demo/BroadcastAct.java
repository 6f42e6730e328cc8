package io.iridium.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Act: the client broadcasts one message to {@code databases} and every member reports it.
 *
 * <p>Prints each member's receipt with its time since the send, and ends when all live members
 * have it, or fails at the deadline naming those that did not.
 */
final class BroadcastAct implements DemoAct {

    private static final long RECHECK_MILLIS = 100;
    private static final String MESSAGE = "flush your caches";

    @Override
    public String title() {
        return "A broadcast reaches every member";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "A request goes to one member; a broadcast goes to all of them. The last node",
                "broadcasts \"" + MESSAGE + "\" to \"databases\": each current member gets it at most once,",
                "and in the order this sender sent its broadcasts.");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        DemoNetwork network = stage.network();
        DatabaseCluster databases = network.databases();
        List<DemoNode> live = network.live();
        DemoNode client = live.get(live.size() - 1);
        Set<String> expected = databases.members().stream().filter(node -> !node.crashed()).map(DemoNode::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));

        stage.markTime();
        client.runtime().broadcast(DatabaseCluster.NAME, MESSAGE.getBytes(StandardCharsets.UTF_8));
        stage.narrateTimed(client.name() + " broadcast \"" + MESSAGE + "\" to '" + DatabaseCluster.NAME + "'");
        Set<String> reached = new LinkedHashSet<>();
        long deadline = stage.deadlineFromNow();
        while (!reached.containsAll(expected)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                Set<String> missing = new LinkedHashSet<>(expected);
                missing.removeAll(reached);
                throw new DemoFailedException("the broadcast did not reach " + missing + " within "
                        + stage.deadline().toSeconds() + " s");
            }
            DatabaseMember.Delivery delivery = databases.nextBroadcast(
                    Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, RECHECK_MILLIS), TimeUnit.MILLISECONDS);
            if (delivery != null && delivery.message().equals(MESSAGE) && reached.add(delivery.member())) {
                stage.narrateAt(delivery.atNanos(), delivery.member() + " received \"" + delivery.message() + "\"");
            }
        }
        stage.narrate("");
        stage.narrate("All " + expected.size() + " members received it, within " + stage.sinceMark() + ".");
    }
}
