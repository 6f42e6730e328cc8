package io.iridium.consensus.raft;

import org.junit.jupiter.api.Test;

import static io.iridium.consensus.raft.RaftNetwork.id;
import static org.assertj.core.api.Assertions.assertThat;

/** Log compaction and chunked snapshot installation for lagging and rejoining followers. */
class SnapshotTest {

    @Test
    void laggingFollower_whoseEntriesWereCompacted_receivesTheSnapshotInChunksAndCatchesUp() {
        RaftNetwork net = new RaftNetwork(1).tune(b -> b.snapshotChunkBytes(16)).start(3);
        net.elect(1);
        net.crash(3);
        for (int i = 0; i < 20; i++) {
            net.propose(1, "e" + i);
        }
        net.stabilize();
        byte[] image = "state-machine-image-after-twenty-entries".getBytes();
        net.compact(1, image);
        net.compact(2, image);
        net.propose(1, "after-snapshot");
        net.stabilize();
        int before = net.delivered.size();
        net.restart(3);
        net.tickAll(5);
        long chunks = net.delivered.subList(before, net.delivered.size()).stream()
                .filter(m -> m instanceof RaftMessage.InstallSnapshot s && s.to().equals(id(3))).count();
        assertThat(chunks).as("a %d-byte image in 16-byte chunks", image.length).isGreaterThanOrEqualTo(3);
        assertThat(net.installed.get(id(3)).data()).isEqualTo(image);
        assertThat(net.appliedData(3)).containsExactly("after-snapshot");
        assertThat(net.node(3).status().commit()).isEqualTo(net.node(1).status().commit());
        assertThat(net.node(3).status().membership()).isEqualTo(net.node(1).status().membership());
    }

    @Test
    void snapshotChunk_lost_isResentFromTheAcknowledgedOffset() {
        RaftNetwork net = new RaftNetwork(2).tune(b -> b.snapshotChunkBytes(8)).start(3);
        net.elect(1);
        net.isolate(3);
        for (int i = 0; i < 5; i++) {
            net.propose(1, "e" + i);
        }
        net.stabilize();
        byte[] image = "0123456789abcdefghijklmnopqrstuv".getBytes();
        net.compact(1, image);
        net.heal();
        int[] dropped = {0};
        net.drop(m -> m instanceof RaftMessage.InstallSnapshot s && s.offset() == 16 && dropped[0]++ == 0);
        net.tickAll(6);
        assertThat(dropped[0]).isGreaterThan(1);
        assertThat(net.installed.get(id(3)).data()).isEqualTo(image);
        assertThat(net.node(3).status().commit()).isEqualTo(net.node(1).status().commit());
    }

    @Test
    void restartFromSnapshot_replaysOnlyEntriesAfterIt() {
        RaftNetwork net = new RaftNetwork(3).start(3);
        net.elect(1);
        net.propose(1, "a");
        net.stabilize();
        net.compact(2, "image-a".getBytes());
        net.propose(1, "b");
        net.stabilize();
        net.crash(2);
        net.restart(2);
        net.tickAll(1);
        assertThat(net.node(2).status().firstIndex()).isEqualTo(3);
        assertThat(net.appliedData(2)).endsWith("b");
    }
}
