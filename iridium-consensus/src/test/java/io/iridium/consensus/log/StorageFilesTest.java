package io.iridium.consensus.log;

import io.iridium.NodeId;
import io.iridium.consensus.raft.HardState;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The durable term and vote, and snapshot files. */
class StorageFilesTest {

    @TempDir
    Path dir;

    @Test
    void hardState_roundTripsAndIsReplacedAtomically() throws IOException {
        HardStateFile file = new HardStateFile(dir.resolve("state"));
        assertThat(file.load()).isEqualTo(HardState.EMPTY);
        file.store(new HardState(3, new NodeId(1, 2), 10));
        file.store(new HardState(4, null, 12));
        assertThat(new HardStateFile(dir.resolve("state")).load()).isEqualTo(new HardState(4, null, 12));
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("state");
        }
    }

    @Test
    void hardState_damaged_refusesToLoad() throws IOException {
        HardStateFile file = new HardStateFile(dir.resolve("state"));
        file.store(new HardState(3, new NodeId(1, 2), 10));
        SegmentedLogTest.flipByte(dir.resolve("state"), 6);
        assertThatThrownBy(file::load).isInstanceOf(CorruptLogException.class).hasMessageContaining("checksum");
    }

    @Test
    void snapshots_newestWins_olderAndTemporaryFilesAreRemoved() throws IOException {
        Membership m = new Membership(Set.of(new NodeId(1, 1), new NodeId(2, 2)), Set.of(new NodeId(3, 3)));
        SnapshotStore store = new SnapshotStore(dir);
        store.save(new Snapshot(new Snapshot.Metadata(10, 2, m), "ten".getBytes()));
        store.save(new Snapshot(new Snapshot.Metadata(20, 3, m), "twenty".getBytes()));
        Files.write(dir.resolve("snap-00000000000000000030.snap.tmp"), "half-written".getBytes());
        SnapshotStore reopened = new SnapshotStore(dir);
        assertThat(reopened.latest()).contains(new Snapshot(new Snapshot.Metadata(20, 3, m), "twenty".getBytes()));
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("snap-00000000000000000020.snap");
        }
    }

    @Test
    void snapshot_damaged_refusesToLoad() throws IOException {
        SnapshotStore store = new SnapshotStore(dir);
        store.save(new Snapshot(new Snapshot.Metadata(10, 2, Membership.EMPTY), "image".getBytes()));
        SegmentedLogTest.flipByte(dir.resolve("snap-00000000000000000010.snap"), 30);
        assertThatThrownBy(store::latest).isInstanceOf(CorruptLogException.class).hasMessageContaining("checksum");
    }
}
