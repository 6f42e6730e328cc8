package io.iridium.consensus.log;

import io.iridium.consensus.raft.Entry;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A write-ahead log of Raft entries, split into segment files.
 *
 * <pre>
 *   directory:  wal-00000000000000000001.log  wal-00000000000000004097.log  ...   (name = first index)
 *
 *   segment file
 *   ┌──────────────────────┬─────────────────┐
 *   │ magic "IRWAL001" (8) │ first index (8) │   header, 16 bytes
 *   ├────────────┬─────────┴──┬──────────────┤
 *   │ length (4) │ crc32c (4) │ body (length)│   one record per entry, body as in EntryCodec;
 *   ├────────────┼────────────┼──────────────┤   crc32c covers the length field and the body
 *   │ length (4) │ crc32c (4) │ body (length)│
 *   └────────────┴────────────┴──────────────┘
 * </pre>
 *
 * <p><b>Invariants.</b> Indexes are consecutive across records and segments; each segment's
 * records start at the index in its name and header; only the last segment is written. Appending
 * at an index at or below the last one first truncates the log there (Raft's conflict rule).
 *
 * <p><b>Durability.</b> {@link #append} only writes; {@link #sync} fsyncs the active segment
 * (and the directory when segments were created or removed). Call it once per batch (group
 * commit) and acknowledge nothing before it returns.
 *
 * <p><b>Recovery.</b> {@link #open} reads every segment. A bad record (short, oversized, or
 * failing its checksum) in the last segment whose bytes run to the end of the file, or followed
 * only by zeros, is a torn tail: a crash cut the last write short, nothing after it was ever
 * acknowledged, and the file is truncated there. A bad record anywhere else, a gap in the
 * indexes, or a damaged header is corruption: {@link CorruptLogException}, and the node must not
 * start.
 *
 * <p>Not thread-safe: the driver thread owns it.
 */
public final class SegmentedLog implements Closeable {

    static final long MAGIC = 0x4952_5741_4c30_3031L; // "IRWAL001"
    static final int HEADER = 16;
    static final int RECORD_HEADER = 8;
    /** The largest record body accepted, 64 MiB: a larger length field is damage. */
    static final int MAX_BODY = 64 << 20;

    private final Path dir;
    private final long maxSegmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private boolean dirDirty;

    /** One segment: its file and the byte offset of each record. */
    private static final class Segment {
        final Path path;
        final long firstIndex;
        final List<Long> offsets = new ArrayList<>();
        FileChannel channel;
        long size;

        Segment(Path path, long firstIndex) {
            this.path = path;
            this.firstIndex = firstIndex;
        }

        long lastIndex() {
            return firstIndex + offsets.size() - 1;
        }
    }

    private SegmentedLog(Path dir, long maxSegmentBytes) {
        this.dir = dir;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering as described above.
     *
     * @param dir             the directory of segment files, created if missing
     * @param firstIndex      the index the first entry gets when the directory holds no segment
     * @param maxSegmentBytes the size after which a new segment starts
     * @return the open log, positioned after its last intact record
     * @throws CorruptLogException when the log is damaged other than at its tail
     * @throws IOException         when the file system fails
     */
    public static SegmentedLog open(Path dir, long firstIndex, long maxSegmentBytes) throws IOException {
        Files.createDirectories(dir);
        SegmentedLog log = new SegmentedLog(dir, maxSegmentBytes);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("wal-\\d{20}\\.log")).sorted().toList();
        }
        for (int i = 0; i < files.size(); i++) {
            log.recover(files.get(i), i == files.size() - 1);
        }
        if (log.segments.isEmpty()) {
            log.startSegment(firstIndex);
        } else {
            Segment last = log.segments.getLast();
            last.channel = FileChannel.open(last.path, StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
        log.sync();
        return log;
    }

    private void recover(Path path, boolean last) throws IOException {
        long nameIndex = Long.parseLong(path.getFileName().toString().substring(4, 24));
        if (last && !segments.isEmpty() && Files.size(path) < HEADER) {
            // created but its header never reached the disk: a torn tail
            Files.delete(path);
            dirDirty = true;
            return;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long fileSize = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            Files2.readFully(ch, header, 0);
            header.flip();
            if (header.remaining() < HEADER || header.getLong() != MAGIC || header.getLong() != nameIndex) {
                throw new CorruptLogException(path, 0, "bad segment header");
            }
            if (!segments.isEmpty() && segments.getLast().lastIndex() + 1 != nameIndex) {
                throw new CorruptLogException(path, 0, "segment starts at " + nameIndex + " but the previous one ends at "
                        + segments.getLast().lastIndex());
            }
            Segment seg = new Segment(path, nameIndex);
            long pos = HEADER;
            while (pos < fileSize) {
                String problem = null;
                long end = fileSize;
                ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER);
                Files2.readFully(ch, rh, pos);
                rh.flip();
                if (rh.remaining() < RECORD_HEADER) {
                    problem = "short record header";
                } else {
                    int length = rh.getInt();
                    int crc = rh.getInt();
                    if (length < 17 || length > MAX_BODY) {
                        problem = "record length " + length;
                    } else if (pos + RECORD_HEADER + length > fileSize) {
                        problem = "record of " + length + " bytes runs past the end of the file";
                    } else {
                        end = pos + RECORD_HEADER + length;
                        ByteBuffer body = ByteBuffer.allocate(length);
                        Files2.readFully(ch, body, pos + RECORD_HEADER);
                        body.flip();
                        if (crc(length, body) != crc) {
                            problem = "checksum mismatch";
                        } else {
                            long index = body.getLong(0);
                            long expected = seg.firstIndex + seg.offsets.size();
                            if (index != expected) {
                                throw new CorruptLogException(path, pos, "record holds index " + index + ", expected " + expected);
                            }
                            try {
                                EntryCodec.decode(body.duplicate());
                            } catch (IllegalArgumentException e) {
                                throw new CorruptLogException(path, pos, "undecodable record: " + e.getMessage());
                            }
                        }
                    }
                }
                if (problem != null) {
                    if (last && (end >= fileSize || zerosFrom(ch, end, fileSize))) {
                        ch.truncate(pos);
                        ch.force(true);
                        fileSize = pos;
                        break;
                    }
                    throw new CorruptLogException(path, pos, problem + " before the end of the log");
                }
                seg.offsets.add(pos);
                pos = end;
            }
            seg.size = fileSize;
            segments.add(seg);
        }
    }

    private static boolean zerosFrom(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        for (long pos = from; pos < to; ) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            pos += n;
        }
        return true;
    }

    static int crc(int length, ByteBuffer body) {
        CRC32C crc = new CRC32C();
        ByteBuffer len = ByteBuffer.allocate(4).putInt(0, length);
        crc.update(len);
        crc.update(body.duplicate());
        return (int) crc.getValue();
    }

    private void startSegment(long firstIndex) throws IOException {
        Path path = dir.resolve(String.format("wal-%020d.log", firstIndex));
        Segment seg = new Segment(path, firstIndex);
        seg.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer header = ByteBuffer.allocate(HEADER).putLong(MAGIC).putLong(firstIndex).flip();
        while (header.hasRemaining()) {
            seg.channel.write(header, HEADER - header.remaining());
        }
        seg.size = HEADER;
        segments.add(seg);
        dirDirty = true;
    }

    /**
     * The first index held.
     *
     * @return the index of the first entry held (or that the next append after a reset must have)
     */
    public long firstIndex() {
        return segments.getFirst().firstIndex;
    }

    /**
     * The last index held.
     *
     * @return the index of the last entry, {@code firstIndex() - 1} when empty
     */
    public long lastIndex() {
        return segments.getLast().lastIndex();
    }

    /**
     * Writes entries (not yet durable: see {@link #sync}). The first must be at most
     * {@code lastIndex() + 1}; the log is truncated before it when it overlaps.
     *
     * @param entries consecutive entries
     * @throws IllegalArgumentException when the first entry would leave a gap or precede the log
     * @throws IOException              when the file system fails
     */
    public void append(List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.getFirst().index();
        if (first < firstIndex() || first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + first + " to a log holding " + firstIndex() + ".." + lastIndex());
        }
        if (first <= lastIndex()) {
            truncateFrom(first);
        }
        for (Entry e : entries) {
            Segment seg = segments.getLast();
            if (seg.size >= maxSegmentBytes && !seg.offsets.isEmpty()) {
                seg.channel.force(false);
                seg.channel.close();
                seg.channel = null;
                startSegment(e.index());
                seg = segments.getLast();
            }
            int length = EntryCodec.size(e);
            ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + length).order(ByteOrder.BIG_ENDIAN);
            record.position(RECORD_HEADER);
            EntryCodec.encode(e, record);
            ByteBuffer body = record.duplicate().position(RECORD_HEADER).limit(RECORD_HEADER + length);
            record.putInt(0, length).putInt(4, crc(length, body.slice()));
            record.position(0);
            long pos = seg.size;
            while (record.hasRemaining()) {
                seg.channel.write(record, pos + record.position());
            }
            seg.offsets.add(pos);
            seg.size = pos + RECORD_HEADER + length;
        }
    }

    private void truncateFrom(long index) throws IOException {
        while (segments.size() > 1 && segments.getLast().firstIndex >= index) {
            Segment dropped = segments.removeLast();
            dropped.channel.close();
            Files.delete(dropped.path);
            dirDirty = true;
            Segment now = segments.getLast();
            now.channel = FileChannel.open(now.path, StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
        Segment seg = segments.getLast();
        int keep = (int) (index - seg.firstIndex);
        long cut = keep < seg.offsets.size() ? seg.offsets.get(keep) : seg.size;
        seg.offsets.subList(keep, seg.offsets.size()).clear();
        seg.channel.truncate(cut);
        seg.size = cut;
    }

    /**
     * Makes everything appended so far durable (fsync of the active segment, and of the
     * directory when segments were created or deleted).
     *
     * @throws IOException when the file system fails; the log's durability is then unknown and
     *                     the node should stop
     */
    public void sync() throws IOException {
        segments.getLast().channel.force(false);
        if (dirDirty) {
            Files2.syncDirectory(dir);
            dirDirty = false;
        }
    }

    /**
     * Reads entries, checking each record's checksum again.
     *
     * @param lo the first index, at least {@link #firstIndex()}
     * @param hi the last index, at most {@link #lastIndex()}
     * @return the entries {@code lo..hi} inclusive
     * @throws CorruptLogException when a record was damaged after it was written
     * @throws IOException         when the file system fails
     */
    public List<Entry> read(long lo, long hi) throws IOException {
        if (lo < firstIndex() || hi > lastIndex()) {
            throw new IllegalArgumentException(lo + ".." + hi + " outside " + firstIndex() + ".." + lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        for (Segment seg : segments) {
            if (seg.lastIndex() < lo || seg.firstIndex > hi) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
                for (long i = Math.max(lo, seg.firstIndex); i <= Math.min(hi, seg.lastIndex()); i++) {
                    long pos = seg.offsets.get((int) (i - seg.firstIndex));
                    ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER);
                    Files2.readFully(ch, rh, pos);
                    int length = rh.getInt(0);
                    ByteBuffer body = ByteBuffer.allocate(length);
                    Files2.readFully(ch, body, pos + RECORD_HEADER);
                    body.flip();
                    if (crc(length, body) != rh.getInt(4)) {
                        throw new CorruptLogException(seg.path, pos, "checksum mismatch on read");
                    }
                    out.add(EntryCodec.decode(body));
                }
            }
        }
        return out;
    }

    /**
     * Drops whole segments whose entries are all at or below {@code index} (covered by a saved
     * snapshot). The active segment is kept.
     *
     * @param index the last index the saved snapshot covers
     * @throws IOException when the file system fails
     */
    public void compactTo(long index) throws IOException {
        while (segments.size() > 1 && segments.getFirst().lastIndex() <= index) {
            Files.delete(segments.removeFirst().path);
            dirDirty = true;
        }
        if (dirDirty) {
            Files2.syncDirectory(dir);
            dirDirty = false;
        }
    }

    /**
     * Discards every entry and restarts the log so that the next entry is {@code nextIndex}
     * (after installing a snapshot from the leader). Durable when this returns.
     *
     * @param nextIndex the index of the next entry to be appended
     * @throws IOException when the file system fails
     */
    public void reset(long nextIndex) throws IOException {
        // Newest first, so a crash part way leaves a prefix of the old log, which the caller
        // discards on open because it does not match the snapshot (see DiskStorage).
        while (!segments.isEmpty()) {
            Segment seg = segments.removeLast();
            if (seg.channel != null) {
                seg.channel.close();
            }
            Files.deleteIfExists(seg.path);
        }
        Files2.syncDirectory(dir);
        startSegment(nextIndex);
        sync();
    }

    @Override
    public void close() throws IOException {
        for (Segment seg : segments) {
            if (seg.channel != null) {
                seg.channel.close();
                seg.channel = null;
            }
        }
    }
}
