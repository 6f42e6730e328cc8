package io.iridium.consensus.log;

import io.iridium.NodeId;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Payload;
import io.iridium.consensus.raft.PersistentState;
import io.iridium.consensus.raft.ProposeResult;
import io.iridium.consensus.raft.RaftConfig;
import io.iridium.consensus.raft.RaftNode;
import io.iridium.consensus.raft.Ready;
import io.iridium.consensus.raft.Role;
import io.iridium.consensus.raft.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A real RaftNode driven over DiskStorage, restarted from disk. */
class DiskStorageTest {

    @TempDir
    Path dir;

    private static final NodeId ME = new NodeId(1, 1);

    private static List<String> drain(RaftNode node, DiskStorage disk) throws IOException {
        List<String> applied = new ArrayList<>();
        while (node.hasReady()) {
            Ready rd = node.ready();
            disk.persist(rd);
            for (Entry e : rd.committedEntries()) {
                if (e.payload() instanceof Payload.Data d) {
                    applied.add(new String(d.bytes()));
                }
            }
            node.advance(rd);
        }
        return applied;
    }

    @Test
    void singleNodeGroup_restartedFromDisk_keepsTermVoteAndCommittedEntries() throws IOException {
        RaftConfig config = RaftConfig.builder(ME).build();
        long term;
        try (DiskStorage disk = DiskStorage.open(dir, 4096)) {
            RaftNode node = RaftNode.bootstrap(config, new SplittableRandom(1), Membership.ofVoters(Set.of(ME)));
            drain(node, disk);
            node.campaign();
            drain(node, disk);
            assertThat(node.status().role()).isEqualTo(Role.LEADER);
            for (int i = 0; i < 200; i++) {
                assertThat(node.propose(("cmd" + i).getBytes())).isInstanceOf(ProposeResult.Accepted.class);
                drain(node, disk);
            }
            term = node.status().term();
        }
        try (DiskStorage disk = DiskStorage.open(dir, 4096)) {
            PersistentState state = disk.load();
            assertThat(state.hardState().term()).isEqualTo(term);
            assertThat(state.hardState().vote()).isEqualTo(ME);
            assertThat(state.entries()).hasSize(201);
            RaftNode node = RaftNode.restart(config, new SplittableRandom(2), state);
            node.campaign();
            List<String> replayed = drain(node, disk);
            assertThat(replayed).hasSize(200).startsWith("cmd0").endsWith("cmd199");
            assertThat(node.status().term()).isEqualTo(term + 1);
        }
    }

    @Test
    void snapshotThenCompaction_restartStartsFromTheSnapshot() throws IOException {
        RaftConfig config = RaftConfig.builder(ME).build();
        try (DiskStorage disk = DiskStorage.open(dir, 1024)) {
            RaftNode node = RaftNode.bootstrap(config, new SplittableRandom(1), Membership.ofVoters(Set.of(ME)));
            drain(node, disk);
            node.campaign();
            drain(node, disk);
            for (int i = 0; i < 100; i++) {
                node.propose(("cmd" + i).getBytes());
                drain(node, disk);
            }
            long applied = node.status().applied();
            byte[] image = "image".getBytes();
            disk.saveSnapshot(new Snapshot(new Snapshot.Metadata(applied - 10, node.status().term(),
                    node.status().membership()), image));
            node.propose("after".getBytes());
            drain(node, disk);
        }
        try (DiskStorage disk = DiskStorage.open(dir, 1024)) {
            PersistentState state = disk.load();
            assertThat(state.snapshot().data()).isEqualTo("image".getBytes());
            assertThat(state.entries().getFirst().index()).isEqualTo(state.snapshot().metadata().index() + 1);
            assertThat(state.entries().getLast().payload()).isEqualTo(new Payload.Data("after".getBytes()));
        }
    }
}
