package io.iridium.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Act: three nodes form the cluster {@code databases}; a fourth sends it requests and counts
 * which member answered each.
 *
 * <p>The act waits until the client's routing registry lists all three members (registrations
 * travel by gossip), sends {@value #REQUESTS} requests with {@value #IN_FLIGHT} outstanding at a
 * time, and prints each member's share as measured from the replies. Any request that failed is
 * counted and shown; the act fails only if the registrations do not spread or requests do not end
 * before the deadline.
 */
final class RequestSpreadAct implements DemoAct {

    static final int MEMBERS = 3;
    private static final int REQUESTS = 300;
    private static final int IN_FLIGHT = 8;

    @Override
    public String title() {
        return "Three databases share the requests";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "Nodes 1 to 3 register a service under the cluster name \"databases\". Nobody configures",
                "addresses: each node's registration spreads by gossip to every routing registry.",
                "The last node then sends " + REQUESTS + " requests to \"databases\" (" + IN_FLIGHT
                        + " at a time). Each goes to one",
                "live member, picked by load (power of two choices over outstanding requests and",
                "latency); every member replies with its own name, so we can count the spread.");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        DemoNetwork network = stage.network();
        List<DemoNode> live = network.live();
        if (live.size() < MEMBERS + 1) {
            throw new DemoFailedException("needs " + (MEMBERS + 1) + " live nodes, has " + live.size());
        }
        List<DemoNode> members = live.subList(0, MEMBERS);
        DemoNode client = live.get(live.size() - 1);

        stage.markTime();
        network.databases(DatabaseCluster.serveOn(members));
        stage.narrateTimed(names(members) + " registered cluster '" + DatabaseCluster.NAME + "'");
        stage.await(() -> client.runtime().routes().membersOf(DatabaseCluster.NAME).size() == MEMBERS,
                client.name() + " did not learn all " + MEMBERS + " members of '" + DatabaseCluster.NAME + "'",
                () -> "it knows " + client.runtime().routes().membersOf(DatabaseCluster.NAME).size());
        stage.narrateTimed(client.name() + "'s routes list all " + MEMBERS + " members, learned by gossip");

        RequestLoad load = new RequestLoad(client, DatabaseCluster.NAME, IN_FLIGHT, stage.deadline());
        long deadline = stage.deadlineFromNow();
        long started = System.nanoTime();
        for (int index = 0; index < REQUESTS; index++) {
            if (!load.send(("query " + index).getBytes(StandardCharsets.UTF_8), deadline)) {
                throw new DemoFailedException("requests stopped ending: " + load.tally().outstanding() + " outstanding");
            }
        }
        if (!load.awaitDrained(deadline)) {
            throw new DemoFailedException(load.tally().outstanding() + " of " + REQUESTS
                    + " requests had neither a reply nor a failure at the deadline");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        RequestTally tally = load.tally();
        stage.narrateTimed(String.format(Locale.ROOT, "%d requests answered in %.2f s (%.0f per second)",
                tally.repliedCount(), seconds, tally.repliedCount() / seconds));
        stage.narrate("");
        stage.narrate(String.format(Locale.ROOT, "  %-8s  %8s  %6s", "member", "requests", "share"));
        for (DemoNode member : members) {
            long count = tally.repliesByMember().getOrDefault(member.name(), 0L);
            double share = 100.0 * count / REQUESTS;
            stage.narrate(String.format(Locale.ROOT, "  %-8s  %8d  %5.1f%%  %s", member.name(), count, share,
                    "#".repeat((int) Math.round(share / 2.5))));
        }
        Map<String, Long> failures = tally.failuresByKind();
        if (!failures.isEmpty()) {
            stage.narrate("  failed: " + failures);
        }
    }

    static String names(List<DemoNode> nodes) {
        return nodes.stream().map(DemoNode::name).collect(Collectors.joining(", "));
    }
}
