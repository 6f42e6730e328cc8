package io.iridium.consensus.log;

import io.iridium.NodeId;
import io.iridium.consensus.raft.ConfChange;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write-ahead log on real temporary files: round trips, truncation, torn tails, corruption. */
class SegmentedLogTest {

    @TempDir
    Path dir;

    private static List<Entry> entries(long from, long to, long term) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            Payload p = i % 7 == 0 ? new Payload.Empty()
                    : i % 11 == 0 ? new Payload.Change(new ConfChange(ConfChange.Type.ADD_LEARNER, new NodeId(i, -i)))
                    : new Payload.Data(("entry-" + i + "-term-" + term).getBytes());
            out.add(new Entry(i, term, p));
        }
        return out;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    private SegmentedLog filled(int count, long segmentBytes) throws IOException {
        SegmentedLog log = SegmentedLog.open(dir, 1, segmentBytes);
        log.append(entries(1, count, 1));
        log.sync();
        return log;
    }

    @Test
    void appendSyncReopen_returnsTheSameEntriesAcrossSegments() throws IOException {
        try (SegmentedLog log = filled(100, 512)) {
            assertThat(log.lastIndex()).isEqualTo(100);
        }
        assertThat(segments().size()).isGreaterThan(3);
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 512)) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(100);
            assertThat(log.read(1, 100)).isEqualTo(entries(1, 100, 1));
        }
    }

    @Test
    void appendOverlapping_truncatesTheConflictingSuffixFirst() throws IOException {
        try (SegmentedLog log = filled(50, 512)) {
            log.append(entries(20, 25, 2));
            log.sync();
            assertThat(log.lastIndex()).isEqualTo(25);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 512)) {
            List<Entry> expected = new ArrayList<>(entries(1, 19, 1));
            expected.addAll(entries(20, 25, 2));
            assertThat(log.read(1, 25)).isEqualTo(expected);
        }
    }

    @Test
    void tornTail_partialLastRecord_isTruncatedOnOpen() throws IOException {
        filled(10, 1 << 20).close();
        Path last = segments().getLast();
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 1 << 20)) {
            assertThat(log.lastIndex()).isEqualTo(9);
            log.append(entries(10, 12, 2));
            log.sync();
        }
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 1 << 20)) {
            assertThat(log.lastIndex()).isEqualTo(12);
            assertThat(log.read(10, 10).getFirst().term()).isEqualTo(2);
        }
    }

    @Test
    void tornTail_zeroFilledPages_areTruncatedOnOpen() throws IOException {
        filled(10, 1 << 20).close();
        Path last = segments().getLast();
        Files.write(last, new byte[4096], StandardOpenOption.APPEND);
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 1 << 20)) {
            assertThat(log.lastIndex()).isEqualTo(10);
        }
        assertThat(Files.size(last)).isLessThan(4096);
    }

    @Test
    void tornTail_lastRecordFailingItsChecksum_isTruncatedOnOpen() throws IOException {
        filled(10, 1 << 20).close();
        Path last = segments().getLast();
        flipByte(last, Files.size(last) - 2);
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 1 << 20)) {
            assertThat(log.lastIndex()).isEqualTo(9);
        }
    }

    @Test
    void corruptionInTheMiddle_ofTheLastSegment_refusesToStartWithAClearMessage() throws IOException {
        filled(10, 1 << 20).close();
        Path last = segments().getLast();
        flipByte(last, SegmentedLog.HEADER + 12);                 // inside the first record's body
        assertThatThrownBy(() -> SegmentedLog.open(dir, 1, 1 << 20))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(last.toString())
                .hasMessageContaining("byte " + SegmentedLog.HEADER)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("refusing to start");
        assertThat(Files.size(last)).as("nothing was truncated").isGreaterThan(200);
    }

    @Test
    void corruptionInAnEarlierSegment_refusesToStart() throws IOException {
        filled(100, 512).close();
        Path first = segments().getFirst();
        flipByte(first, Files.size(first) - 3);                    // the earlier segment's last record
        assertThatThrownBy(() -> SegmentedLog.open(dir, 1, 512))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(first.getFileName().toString());
    }

    @Test
    void missingSegment_isAGapAndRefusesToStart() throws IOException {
        filled(100, 512).close();
        Files.delete(segments().get(1));
        assertThatThrownBy(() -> SegmentedLog.open(dir, 1, 512))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("previous one ends at");
    }

    @Test
    void compactTo_deletesOnlyWholeSegmentsCoveredByTheSnapshot() throws IOException {
        try (SegmentedLog log = filled(100, 512)) {
            int before = segments().size();
            log.compactTo(50);
            assertThat(segments().size()).isLessThan(before);
            assertThat(log.firstIndex()).isLessThanOrEqualTo(51);
            assertThat(log.read(51, 100)).isEqualTo(entries(51, 100, 1));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 512)) {
            assertThat(log.firstIndex()).isGreaterThan(1).isLessThanOrEqualTo(51);
            assertThat(log.lastIndex()).isEqualTo(100);
        }
    }

    @Test
    void reset_startsAnEmptyLogAtTheGivenIndex() throws IOException {
        try (SegmentedLog log = filled(100, 512)) {
            log.reset(501);
            assertThat(log.firstIndex()).isEqualTo(501);
            assertThat(log.lastIndex()).isEqualTo(500);
            log.append(entries(501, 505, 9));
            log.sync();
        }
        try (SegmentedLog log = SegmentedLog.open(dir, 1, 512)) {
            assertThat(log.read(501, 505)).isEqualTo(entries(501, 505, 9));
            assertThat(segments()).hasSize(1);
        }
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).position(0);
            ch.write(b, position);
        }
    }
}
