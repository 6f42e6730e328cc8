package io.iridium.consensus.raft;

import io.iridium.NodeId;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data-driven interaction tests in the style of etcd-io/raft: each file under
 * {@code src/test/resources/raft/interaction} is a script of commands, each followed by
 * {@code ----} and the expected output. Commands:
 *
 * <pre>
 *   add-nodes N             bootstrap nodes 1..N as voters
 *   campaign N              node N campaigns, then the network stabilizes
 *   propose N TEXT          node N proposes TEXT, then the network stabilizes
 *   isolate N | heal        cut node N off | restore the network
 *   crash N | restart N     lose N's unsynced state | restart it from its disk
 *   tick-all N              tick every live node N times, stabilizing after each round
 *   transfer N M            leader N hands leadership to M, then the network stabilizes
 *   status                  one line per node: role, term, leader, commit, applied data
 * </pre>
 *
 * Run with {@code -Diridium.rewrite=true} to rewrite the expected outputs (then read the diff
 * before accepting it).
 */
class RaftInteractionTest {

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException, URISyntaxException {
        Path dir = Path.of(RaftInteractionTest.class.getResource("/raft/interaction").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream()
                    .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(file)));
        }
    }

    private static void run(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        StringBuilder actual = new StringBuilder();
        RaftNetwork net = new RaftNetwork(1);
        int i = 0;
        while (i < lines.size()) {
            String command = lines.get(i++);
            if (command.isBlank() || command.startsWith("#")) {
                actual.append(command).append('\n');
                continue;
            }
            while (i < lines.size() && !lines.get(i).equals("----")) {
                i++;
            }
            i++;
            while (i < lines.size() && !lines.get(i).isBlank()) {
                i++;
            }
            actual.append(command).append("\n----\n").append(execute(net, command.trim().split("\\s+"))).append('\n');
        }
        String expected = String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("iridium.rewrite")) {
            Path module = Files.isDirectory(Path.of("src/test/resources")) ? Path.of("") : Path.of("iridium-consensus");
            Path source = module.resolve("src/test/resources/raft/interaction").resolve(file.getFileName());
            Files.writeString(source, actual.toString(), StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual.toString()).as(file.getFileName().toString()).isEqualTo(expected);
    }

    private static String execute(RaftNetwork net, String[] args) {
        switch (args[0]) {
            case "add-nodes" -> net.start(Integer.parseInt(args[1]));
            case "campaign" -> net.elect(Integer.parseInt(args[1]));
            case "propose" -> {
                ProposeResult result = net.propose(Integer.parseInt(args[1]), args[2]);
                net.stabilize();
                return describe(result);
            }
            case "isolate" -> net.isolate(Integer.parseInt(args[1]));
            case "heal" -> net.heal();
            case "crash" -> net.crash(Integer.parseInt(args[1]));
            case "restart" -> net.restart(Integer.parseInt(args[1]));
            case "tick-all" -> net.tickAll(Integer.parseInt(args[1]));
            case "transfer" -> {
                int from = Integer.parseInt(args[1]);
                ProposeResult result = net.node(from).transferLeadership(RaftNetwork.id(Integer.parseInt(args[2])));
                net.handleReadies(RaftNetwork.id(from));
                net.stabilize();
                return describe(result);
            }
            case "status" -> {
                List<String> out = new ArrayList<>();
                for (NodeId id : net.nodes.keySet()) {
                    Status st = net.nodes.get(id).status();
                    int n = (int) id.low();
                    out.add(n + ": " + st.role() + " term=" + st.term() + " lead=" + st.leader().map(l -> l.low()).orElse(0L)
                            + " commit=" + st.commit() + " applied=" + net.appliedData(n));
                }
                return String.join("\n", out);
            }
            default -> throw new UncheckedIOException(new IOException("unknown command " + args[0]));
        }
        return "ok";
    }

    private static String describe(ProposeResult result) {
        return switch (result) {
            case ProposeResult.Accepted a -> "accepted index=" + a.index() + " term=" + a.term();
            case ProposeResult.NotLeader n -> "not leader, leader=" + n.leader().map(l -> l.low()).orElse(0L);
            case ProposeResult.Rejected r -> "rejected: " + r.reason();
        };
    }

}
