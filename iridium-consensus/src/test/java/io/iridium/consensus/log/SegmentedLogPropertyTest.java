package io.iridium.consensus.log;

import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.Payload;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SegmentedLog} against a reference model (a list): random appends that overlap and
 * truncate, syncs, compactions, reopenings, and torn tails of unsynced writes.
 */
class SegmentedLogPropertyTest {

    @Property(tries = 40)
    void segmentedLog_behavesLikeAListThatLosesOnlyUnsyncedTails(@ForAll long seed, @ForAll @IntRange(min = 64, max = 2048) int segmentBytes)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = Files.createTempDirectory("wal-prop");
        try {
            List<Entry> model = new ArrayList<>();       // entries from index first
            long first = 1;
            long synced = 0;                            // model entries known durable: model.subList(0, synced)
            SegmentedLog log = SegmentedLog.open(dir, 1, segmentBytes);
            long term = 1;
            for (int step = 0; step < 60; step++) {
                int action = random.nextInt(10);
                long last = first + model.size() - 1;
                if (action < 5) {
                    long from = Math.max(first, last + 1 - random.nextInt(4));
                    term++;
                    List<Entry> batch = new ArrayList<>();
                    for (long i = from; i < from + 1 + random.nextInt(6); i++) {
                        byte[] data = new byte[random.nextInt(40)];
                        random.nextBytes(data);
                        batch.add(new Entry(i, term, data.length == 0 ? new Payload.Empty() : new Payload.Data(data)));
                    }
                    log.append(batch);
                    model.subList((int) (from - first), model.size()).clear();
                    model.addAll(batch);
                    synced = Math.min(synced, from - first);
                } else if (action < 7) {
                    log.sync();
                    synced = model.size();
                } else if (action < 8 && synced > 0) {
                    long upTo = first + random.nextInt((int) synced);
                    log.compactTo(upTo);
                    long newFirst = log.firstIndex();
                    model.subList(0, (int) (newFirst - first)).clear();
                    synced -= newFirst - first;
                    first = newFirst;
                } else {
                    log.sync();
                    synced = model.size();
                    log.close();
                    if (random.nextBoolean()) {
                        chopLastSegment(dir, random);   // a torn tail is cut back to a record boundary
                    }
                    log = SegmentedLog.open(dir, 1, segmentBytes);
                    assertThat(log.firstIndex()).isEqualTo(first);
                    long kept = log.lastIndex() - first + 1;
                    assertThat(kept).isLessThanOrEqualTo(model.size());
                    model.subList((int) kept, model.size()).clear();
                    synced = model.size();
                }
                assertThat(log.lastIndex()).isEqualTo(first + model.size() - 1);
                if (!model.isEmpty()) {
                    assertThat(log.read(first, first + model.size() - 1)).isEqualTo(model);
                }
            }
            log.close();
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void chopLastSegment(Path dir, SplittableRandom random) throws IOException {
        Path last;
        try (Stream<Path> s = Files.list(dir)) {
            last = s.filter(p -> p.toString().endsWith(".log")).max(Comparator.naturalOrder()).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size > SegmentedLog.HEADER + 1) {
                ch.truncate(size - 1 - random.nextInt((int) Math.min(30, size - SegmentedLog.HEADER - 1)));
            }
        }
    }
}
