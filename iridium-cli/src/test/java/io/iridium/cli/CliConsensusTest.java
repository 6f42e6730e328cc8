package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.iridium.consensus.group.GroupOptions;
import io.iridium.consensus.group.RaftGroup;
import io.iridium.consensus.raft.Role;
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
 * {@code iridium kv}, {@code lock} and {@code raft} end to end, in-process: a three-member group
 * on real loopback nodes (on a key generated for this class), and each command run as a user
 * would, from its own short-lived node.
 */
final class CliConsensusTest {

    private static final String GROUP = "cli-kv";
    private static final List<String> MEMBERS = List.of("kv-a", "kv-b", "kv-c");

    @TempDir
    static Path directory;
    private static Path key;
    private static final List<Node> nodes = new ArrayList<>();
    private static final List<RaftGroup> groups = new ArrayList<>();

    @BeforeAll
    static void startGroup() throws Exception {
        key = directory.resolve("consensus.key");
        NetworkKey.generate("cli-consensus-test").write(key, false);
        for (String name : MEMBERS) {
            List<Endpoint> seeds = nodes.stream().map(Node::address).toList();
            Node node = Iridium.start(Config.builder().keyFile(key).bind(new Endpoint("127.0.0.1", 0)).multicast(false)
                    .name(name).seeds(seeds).build());
            nodes.add(node);
            groups.add(RaftGroup.start(node, GroupOptions.of(GROUP, MEMBERS, directory.resolve(name))
                    .withTick(Duration.ofMillis(20))));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (groups.stream().noneMatch(g -> g.status().role() == Role.LEADER) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @AfterAll
    static void stop() {
        groups.forEach(RaftGroup::close);
        nodes.forEach(Node::close);
    }

    private static RunResult iridium(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--key", key.toString(), "--bind", "127.0.0.1:0", "--no-multicast",
                "--join", nodes.get(0).address().toString(), "--timeout", "20s"));
        if (!args[0].equals("raft")) {
            all.addAll(List.of("--group", GROUP));
        }
        return RunResult.run(all.toArray(String[]::new));
    }

    @Test
    @Timeout(120)
    void kv_putGetCasListDelete_throughTheCommandLine() {
        RunResult put = iridium("kv", "put", "app/color", "blue");
        assertThat(put.exitCode()).as(put.toString()).isZero();
        assertThat(put.out()).startsWith("revision ");

        RunResult get = iridium("kv", "get", "app/color");
        assertThat(get.out()).as(get.toString()).isEqualTo("blue\n");

        RunResult swapped = iridium("kv", "cas", "app/color", "blue", "green");
        RunResult refused = iridium("kv", "cas", "app/color", "blue", "red");
        assertThat(swapped.exitCode()).as(swapped.toString()).isZero();
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);

        RunResult list = iridium("kv", "list", "app/");
        assertThat(list.out()).as(list.toString()).isEqualTo("app/color=green\n");

        RunResult delete = iridium("kv", "delete", "app/color");
        RunResult missing = iridium("kv", "get", "app/color", "--stale");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
    }

    @Test
    @Timeout(120)
    void lock_acquireThenReleaseWithTheSession_andRaftStatusNamesTheMembers() {
        RunResult acquired = iridium("lock", "acquire", "printer", "--ttl", "30s");
        assertThat(acquired.exitCode()).as(acquired.toString()).isZero();
        assertThat(acquired.out()).contains("granted printer: fencing token");
        String session = acquired.out().replaceAll("(?s).*session ([0-9a-f]{16}).*", "$1");

        RunResult other = iridium("lock", "acquire", "printer");
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(1);
        assertThat(other.out()).contains("queued for printer at position 1");

        RunResult released = iridium("lock", "release", "printer", "--session", session);
        assertThat(released.out()).as(released.toString()).contains("released printer");

        RunResult status = iridium("raft", "status", GROUP);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("leader", "kv-a", "kv-b", "kv-c");
    }
}
