package io.iridium.cli.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Act: start the nodes one after another and watch their views of the membership converge.
 *
 * <p>Each node knows only the nodes started before it (its seeds); SWIM's gossip and push-pull
 * tell it of the rest. The act prints a line whenever a node's live view changes size and ends
 * when every node sees all of them, or fails at the deadline naming the views that fell short.
 */
final class FormNetworkAct implements DemoAct {

    /** How often views are re-read even without events: views can change between two events. */
    private static final long RECHECK_MILLIS = 100;

    private final int nodeCount;

    FormNetworkAct(int nodeCount) {
        if (nodeCount < 2) {
            throw new IllegalArgumentException("a network to show needs at least 2 nodes, got " + nodeCount);
        }
        this.nodeCount = nodeCount;
    }

    @Override
    public String title() {
        return nodeCount + " nodes find each other";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "We start " + nodeCount + " nodes, each on its own port of 127.0.0.1. A node is told only the",
                "addresses of the nodes started before it (its \"seeds\"); it learns of the others",
                "by gossip, which rides on the SWIM protocol's probes. Watch each node's view of",
                "the network grow until every node sees all " + nodeCount + ".");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        DemoNetwork network = stage.network();
        stage.markTime();
        for (int index = 1; index <= nodeCount; index++) {
            List<String> seeds = network.live().stream().map(DemoNode::name).toList();
            DemoNode node = network.startNode("node-" + index);
            stage.narrateTimed(String.format("started %-7s (%s) at %-16s %s", node.name(), node.id(),
                    node.address(), seeds.isEmpty() ? "the first node: no seeds" : "seeds: " + String.join(", ", seeds)));
        }
        stage.narrate("");

        Map<DemoNode, Integer> shown = new HashMap<>();
        long deadline = stage.deadlineFromNow();
        while (true) {
            boolean converged = true;
            for (DemoNode node : network.live()) {
                int size = node.liveView().size();
                if (!Integer.valueOf(size).equals(shown.put(node, size))) {
                    stage.narrateTimed(String.format("%-7s sees %d of %d  %s", node.name(), size, nodeCount, bar(size)));
                }
                converged &= size == nodeCount;
            }
            if (converged) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailedException("the nodes did not all see each other within "
                        + stage.deadline().toSeconds() + " s: " + views(network));
            }
            network.nextObservation(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, RECHECK_MILLIS), TimeUnit.MILLISECONDS);
        }
        stage.narrate("");
        stage.narrate("Converged: every node sees all " + nodeCount + " members, " + stage.sinceMark()
                + " after the first one started.");
        network.discardObservations();
    }

    private String bar(int size) {
        return "[" + "#".repeat(Math.min(size, nodeCount)) + ".".repeat(Math.max(0, nodeCount - size)) + "]";
    }

    private String views(DemoNetwork network) {
        return network.live().stream()
                .map(node -> node.name() + " sees " + node.liveView().size())
                .collect(Collectors.joining(", "));
    }
}
