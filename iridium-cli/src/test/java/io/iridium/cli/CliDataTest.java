package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.iridium.data.replication.Replicas;
import io.iridium.security.NetworkKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iridium counter}, {@code set} and {@code register} end to end, in-process: three replica
 * nodes of the cluster {@code replicas} on real loopback sockets (a key generated for this class),
 * and each command run as a user would, from its own short-lived node.
 */
final class CliDataTest {

    @TempDir
    static Path directory;
    private static Path key;
    private static final List<Node> nodes = new ArrayList<>();
    private static final List<Replicas> replicas = new ArrayList<>();

    @BeforeAll
    static void startReplicas() throws Exception {
        key = directory.resolve("data.key");
        NetworkKey.generate("cli-data-test").write(key, false);
        for (int i = 0; i < 3; i++) {
            List<Endpoint> seeds = nodes.stream().map(Node::address).toList();
            Node node = Iridium.start(Config.builder().keyFile(key).bind(new Endpoint("127.0.0.1", 0)).multicast(false)
                    .name("replica-" + i).seeds(seeds).build());
            nodes.add(node);
            replicas.add(Replicas.join(node, "replicas"));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (nodes.stream().anyMatch(n -> n.servers("replicas").size() < 3) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Replicas::close);
        nodes.forEach(Node::close);
    }

    private static RunResult iridium(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--key", key.toString(), "--bind", "127.0.0.1:0", "--no-multicast",
                "--join", nodes.get(0).address().toString(), "--timeout", "10s"));
        return RunResult.run(all.toArray(String[]::new));
    }

    @Test
    @Timeout(120)
    void counter_incrementsAreCountedExactly_acrossSeparateRuns() {
        RunResult first = iridium("counter", "incr", "hits", "--by", "5");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out().trim()).isEqualTo("5");
        RunResult second = iridium("counter", "incr", "hits", "--by", "-2", "--consistency", "ALL");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out().trim()).isEqualTo("3");
        RunResult read = iridium("counter", "get", "hits");
        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(read.out().trim()).isEqualTo("3");
    }

    @Test
    @Timeout(120)
    void set_addRemoveList_andRegister_setGet() {
        assertThat(iridium("set", "add", "tags", "red").exitCode()).isZero();
        assertThat(iridium("set", "add", "tags", "blue").exitCode()).isZero();
        assertThat(iridium("set", "remove", "tags", "red").exitCode()).isZero();
        RunResult list = iridium("set", "list", "tags");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("blue").doesNotContain("red");

        RunResult unset = iridium("register", "get", "owner");
        assertThat(unset.exitCode()).as("a register never written").isNotZero();
        assertThat(iridium("register", "set", "owner", "alice").exitCode()).isZero();
        RunResult owner = iridium("register", "get", "owner");
        assertThat(owner.exitCode()).as(owner.toString()).isZero();
        assertThat(owner.out().trim()).isEqualTo("alice");
    }
}
