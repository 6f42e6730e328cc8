package io.iridium.consensus.log;

import io.iridium.NodeId;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Payload;
import io.iridium.consensus.raft.PersistentState;
import io.iridium.consensus.raft.RaftConfig;
import io.iridium.consensus.raft.RaftMessage;
import io.iridium.consensus.raft.RaftNode;
import io.iridium.consensus.raft.Ready;
import io.iridium.consensus.raft.Role;
import io.iridium.consensus.raft.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three RaftNodes on real disks: a follower is stopped, the others compact past it, and on
 * restart it receives the leader's snapshot, which its DiskStorage saves and reopens correctly.
 */
class DiskStorageClusterTest {

    @TempDir
    Path dir;

    private final Map<NodeId, RaftNode> nodes = new HashMap<>();
    private final Map<NodeId, DiskStorage> disks = new HashMap<>();
    private final Map<NodeId, List<String>> applied = new HashMap<>();
    private final ArrayDeque<RaftMessage> wire = new ArrayDeque<>();

    private static NodeId id(int n) {
        return new NodeId(n, n);
    }

    private void drain(NodeId id) throws IOException {
        RaftNode node = nodes.get(id);
        while (node.hasReady()) {
            Ready rd = node.ready();
            wire.addAll(rd.eagerMessages());
            disks.get(id).persist(rd);
            wire.addAll(rd.messages());
            if (rd.snapshot().isPresent()) {
                applied.put(id, new ArrayList<>(List.of("<" + new String(rd.snapshot().get().data(), StandardCharsets.UTF_8) + ">")));
            }
            for (Entry e : rd.committedEntries()) {
                if (e.payload() instanceof Payload.Data d) {
                    applied.get(id).add(new String(d.bytes(), StandardCharsets.UTF_8));
                }
            }
            node.advance(rd);
        }
    }

    private void stabilize() throws IOException {
        RaftMessage m;
        while ((m = wire.pollFirst()) != null) {
            if (nodes.containsKey(m.to())) {
                nodes.get(m.to()).step(m);
                drain(m.to());
            }
        }
    }

    private void tickAll(int times) throws IOException {
        for (int i = 0; i < times; i++) {
            for (NodeId id : new TreeSet<>(nodes.keySet())) {
                nodes.get(id).tick();
                drain(id);
            }
            stabilize();
        }
    }

    private void start(NodeId id, Membership bootstrap) throws IOException {
        RaftConfig config = RaftConfig.builder(id).snapshotChunkBytes(7).build();
        DiskStorage disk = DiskStorage.open(dir.resolve(id.toString() + id.low()), 512);
        disks.put(id, disk);
        applied.put(id, new ArrayList<>());
        RaftNode node = bootstrap != null ? RaftNode.bootstrap(config, new SplittableRandom(id.low()), bootstrap)
                : RaftNode.restart(config, new SplittableRandom(id.low() + 100), disk.load());
        nodes.put(id, node);
        drain(id);
    }

    @Test
    void stoppedFollower_restartsFromDisk_andInstallsTheLeadersSnapshotDurably() throws IOException {
        Membership members = Membership.ofVoters(Set.of(id(1), id(2), id(3)));
        for (int n = 1; n <= 3; n++) {
            start(id(n), members);
        }
        nodes.get(id(1)).campaign();
        drain(id(1));
        stabilize();
        assertThat(nodes.get(id(1)).status().role()).isEqualTo(Role.LEADER);

        nodes.remove(id(3));
        disks.remove(id(3)).close();
        for (int i = 0; i < 40; i++) {
            nodes.get(id(1)).propose(("w" + i).getBytes(StandardCharsets.UTF_8));
            drain(id(1));
            stabilize();
        }
        for (int n = 1; n <= 2; n++) {
            RaftNode node = nodes.get(id(n));
            long index = node.status().applied();
            byte[] image = ("image-at-" + index).getBytes(StandardCharsets.UTF_8);
            disks.get(id(n)).saveSnapshot(new Snapshot(new Snapshot.Metadata(index, node.status().term(),
                    node.status().membership()), image));
            node.compact(index, image);
        }
        nodes.get(id(1)).propose("after".getBytes(StandardCharsets.UTF_8));
        drain(id(1));
        stabilize();

        start(id(3), null);
        tickAll(5);
        assertThat(applied.get(id(3))).containsExactly("<image-at-41>", "after");

        disks.remove(id(3)).close();
        PersistentState reopened;
        try (DiskStorage disk = DiskStorage.open(dir.resolve(id(3).toString() + 3), 512)) {
            reopened = disk.load();
        }
        assertThat(reopened.snapshot().metadata().index()).isEqualTo(41);
        assertThat(reopened.entries()).extracting(Entry::index).containsExactly(42L);
        assertThat(reopened.hardState().term()).isEqualTo(nodes.get(id(1)).status().term());
    }
}
