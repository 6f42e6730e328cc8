package io.iridium.runtime;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.security.NetworkKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test fixture: real nodes in this JVM on loopback, sharing a freshly generated network key, and
 * the waits that multi-node tests need (membership converged, routes known). {@link #close()}
 * crashes every node it started and deletes the key.
 */
public final class LocalNetwork implements AutoCloseable {
    /** How long the waits allow: generous, since CI machines are slow and shared. */
    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration DEFAULT_IDLE_TIMEOUT = Config.builder().dev(true).build().idleTimeout();

    private final Path directory;
    private final Path keyFile;
    private final List<NodeRuntime> nodes = new ArrayList<>();

    public LocalNetwork() {
        try {
            directory = Files.createTempDirectory("iridium-test");
            keyFile = directory.resolve("network.pem");
            NetworkKey.generate("test").write(keyFile, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network key every node of this fixture holds. */
    public Path keyFile() {
        return keyFile;
    }

    /** A directory for the test's own files, deleted on close. */
    public Path directory() {
        return directory;
    }

    /** Starts one node bound to a free loopback port, joining through {@code seeds}. */
    public NodeRuntime start(String name, List<Endpoint> seeds) {
        return start(Config.builder().keyFile(keyFile).name(name).seeds(seeds));
    }

    /** Starts one node from {@code config}, forcing loopback, no multicast and a private meter registry. */
    public NodeRuntime start(Config.Builder config) {
        NodeRuntime node = (NodeRuntime) Iridium.start(config.bind(new Endpoint("127.0.0.1", 0)).multicast(false)
                .meterRegistry(new SimpleMeterRegistry()).build());
        nodes.add(node);
        return node;
    }

    /** Starts {@code size} nodes named {@code prefix0..}, the first being every other's seed, and waits until they all see each other. */
    public List<NodeRuntime> startNetwork(String prefix, int size) {
        return startNetwork(prefix, size, DEFAULT_IDLE_TIMEOUT);
    }

    /** {@link #startNetwork(String, int)} with data-plane connections closing after {@code idleTimeout}. */
    public List<NodeRuntime> startNetwork(String prefix, int size, Duration idleTimeout) {
        List<NodeRuntime> network = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<Endpoint> seeds = network.isEmpty() ? List.of() : List.of(network.get(0).address());
            network.add(start(Config.builder().keyFile(keyFile).name(prefix + i).seeds(seeds).idleTimeout(idleTimeout)));
        }
        awaitLiveViews(network, size);
        return network;
    }

    /** The number of live members {@code node} sees, itself included. */
    public static long live(NodeRuntime node) {
        return node.members().stream().filter(m -> m.state().isLive()).count();
    }

    /** Waits until every node sees exactly {@code size} live members. */
    public static void awaitLiveViews(List<NodeRuntime> network, int size) {
        Eventually.await(WAIT, "every node sees " + size + " live members", () -> network.stream().allMatch(n -> live(n) == size),
                () -> network.stream().map(n -> n.self().name() + "=" + live(n)).collect(Collectors.joining(", ")));
    }

    /** Waits until every node routes {@code cluster} to {@code count} members. */
    public static void awaitServers(List<NodeRuntime> network, String cluster, int count) {
        Eventually.await(WAIT, "every node routes '" + cluster + "' to " + count + " members",
                () -> network.stream().allMatch(n -> n.routes().membersOf(cluster).size() == count));
    }

    /** Waits until every node routes {@code subject} to {@code count} subscribers. */
    public static void awaitSubscribers(List<NodeRuntime> network, String subject, int count) {
        Eventually.await(WAIT, "every node routes '" + subject + "' to " + count + " subscribers",
                () -> network.stream().allMatch(n -> n.routes().subscribersOf(subject).size() == count));
    }

    @Override
    public void close() {
        nodes.forEach(NodeRuntime::crash);
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
