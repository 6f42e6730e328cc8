package io.iridium.cli.demo;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's {@code databases} cluster: three nodes that registered a {@link DatabaseMember}
 * each, and the queue where their broadcasts arrive. Created by the first messaging act and used
 * by the acts after it (broadcast, tunnel, crash under load).
 */
final class DatabaseCluster {

    static final String NAME = "databases";

    private final List<DemoNode> members;
    private final BlockingQueue<DatabaseMember.Delivery> broadcasts = new LinkedBlockingQueue<>();

    private DatabaseCluster(List<DemoNode> members) {
        this.members = List.copyOf(members);
    }

    /** Registers a database member on each of {@code nodes}. */
    static DatabaseCluster serveOn(List<DemoNode> nodes) {
        DatabaseCluster cluster = new DatabaseCluster(nodes);
        for (DemoNode node : nodes) {
            node.runtime().register(NAME, new DatabaseMember(node.name(), cluster.broadcasts));
        }
        return cluster;
    }

    /** The nodes that serve the cluster, crashed ones included. */
    List<DemoNode> members() {
        return members;
    }

    /** The next broadcast any member received, or null when none arrives within the wait. */
    DatabaseMember.Delivery nextBroadcast(long wait, TimeUnit unit) throws InterruptedException {
        return broadcasts.poll(wait, unit);
    }
}
