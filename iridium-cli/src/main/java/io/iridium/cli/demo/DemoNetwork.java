package io.iridium.cli.demo;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.runtime.NodeRuntime;
import io.iridium.security.NetworkKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The nodes of the demonstration: a private network in this process, on loopback.
 *
 * <p>It generates a network key for this run only, in a temporary directory, so the demo's nodes
 * can never meet another Iridium network (nor dev nodes on this machine). Each node binds
 * {@code 127.0.0.1:0} with multicast off and joins through the nodes started before it, as seeds.
 * Every node's membership events go, with their arrival times, into one queue that the acts
 * read. {@link #close()} lets the surviving nodes leave gracefully, in parallel, then deletes the
 * key.
 */
final class DemoNetwork implements AutoCloseable {

    private final Path directory;
    private final Path keyFile;
    private final List<DemoNode> nodes = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Observation> observations = new LinkedBlockingQueue<>();
    private volatile DatabaseCluster databases;

    private DemoNetwork(Path directory, Path keyFile) {
        this.directory = directory;
        this.keyFile = keyFile;
    }

    /** Creates an empty network with a fresh key. */
    static DemoNetwork create() {
        try {
            Path directory = Files.createTempDirectory("iridium-demo-");
            Path keyFile = directory.resolve("demo-network.key");
            NetworkKey.generate("iridium-demo").write(keyFile, false);
            return new DemoNetwork(directory, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the demo's network key", e);
        }
    }

    /** Starts one more node, named {@code name}, seeded with every live node started before it. */
    DemoNode startNode(String name) {
        List<Endpoint> seeds = live().stream().map(DemoNode::address).toList();
        Config config = Config.builder()
                .keyFile(keyFile)
                .bind(new Endpoint("127.0.0.1", 0))
                .seeds(seeds)
                .multicast(false)
                .name(name)
                .build();
        NodeRuntime runtime = NodeRuntime.start(config);
        DemoNode node = new DemoNode(name, runtime);
        runtime.onMembershipChange(event -> {
            if (!event.member().id().equals(node.id())) {
                observations.add(new Observation(node, event, System.nanoTime()));
            }
        });
        nodes.add(node);
        return node;
    }

    /** The {@code databases} cluster, once an act has started it. */
    DatabaseCluster databases() {
        if (databases == null) {
            throw new IllegalStateException("no act has started the databases cluster yet");
        }
        return databases;
    }

    void databases(DatabaseCluster cluster) {
        this.databases = cluster;
    }

    /** Every node started, crashed ones included, in starting order. */
    List<DemoNode> all() {
        synchronized (nodes) {
            return List.copyOf(nodes);
        }
    }

    /** The nodes that have not crashed, in starting order. */
    List<DemoNode> live() {
        return all().stream().filter(node -> !node.crashed()).toList();
    }

    /** The demo name of {@code member} (node-1, ...), or its own name if it is not one of ours. */
    String nameOf(Member member) {
        return all().stream()
                .filter(node -> node.id().equals(member.id()))
                .map(DemoNode::name)
                .findFirst()
                .orElse(member.name());
    }

    /** The next membership event seen by any node, or null when none arrives within the wait. */
    Observation nextObservation(long wait, TimeUnit unit) throws InterruptedException {
        return observations.poll(wait, unit);
    }

    /** Forgets the events not yet read, so that an act starts with only its own. */
    void discardObservations() {
        observations.clear();
    }

    /** Lets the live nodes leave gracefully, in parallel, and deletes the key. */
    @Override
    public void close() {
        try (ExecutorService closers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DemoNode node : live()) {
                closers.execute(() -> node.runtime().close());
            }
        }
        try {
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
