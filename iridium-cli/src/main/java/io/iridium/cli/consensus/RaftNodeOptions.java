package io.iridium.cli.consensus;

import io.iridium.Node;
import io.iridium.consensus.group.GroupOptions;
import io.iridium.consensus.group.RaftGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code iridium node}'s options for running a member of a Raft group (a picocli mixin):
 * {@code --raft GROUP --raft-members A,B,C --data-dir DIR}. The node's {@code --name} is its
 * member name; a node whose name is not among the founding members starts empty and waits for
 * {@code iridium raft add GROUP NAME}.
 */
public final class RaftNodeOptions {

    @Option(names = "--raft", paramLabel = "GROUP", description = "Run a member of this Raft group (a cluster name).")
    private String group;

    @Option(names = "--raft-members", split = ",", paramLabel = "NAME",
            description = "The group's founding members' node names, comma-separated (used when the data directory is new).")
    private List<String> members = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the group member keeps its log (default: ./iridium-data/GROUP/NAME).")
    private Path dataDir;

    /** A running member, or nothing when {@code --raft} was not given. */
    public interface Member extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts the member when {@code --raft} was given.
     *
     * @param node the running node (it must have a {@code --name})
     * @param out  where to say so
     * @return the member, to close before the node
     */
    public Member start(Node node, PrintWriter out) {
        if (group == null) {
            return () -> { };
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("--raft needs --raft-members NAME,NAME,...");
        }
        Path dir = dataDir != null ? dataDir : Path.of("iridium-data", group, node.self().name());
        try {
            RaftGroup member = RaftGroup.start(node, GroupOptions.of(group, members, dir));
            out.println("Raft group " + group + ": member " + node.self().name() + " of " + String.join(",", members)
                    + ", log in " + dir.toAbsolutePath());
            out.flush();
            return member::close;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the group's data directory " + dir, e);
        }
    }
}
