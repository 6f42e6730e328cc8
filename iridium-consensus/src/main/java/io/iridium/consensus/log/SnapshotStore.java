package io.iridium.consensus.log;

import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files, each written atomically (temp file, fsync, rename, directory fsync) and named
 * by index so the newest is found by listing. Older snapshots are deleted once a newer one is
 * durable; leftover temporary files from a crash are deleted on open.
 *
 * <pre>
 *   snap-&lt;index, 20 digits&gt;.snap
 *   ┌──────────────────────┬───────────┬──────────┬────────────────┬─────────────────┬──────┬────────────┐
 *   │ magic "IRSNAP01" (8) │ index (8) │ term (8) │ membership (…) │ data length (4) │ data │ crc32c (4) │
 *   └──────────────────────┴───────────┴──────────┴────────────────┴─────────────────┴──────┴────────────┘
 *   the checksum covers everything before it
 * </pre>
 */
public final class SnapshotStore {

    private static final long MAGIC = 0x4952_534e_4150_3031L; // "IRSNAP01"

    private final Path dir;

    /**
     * Opens a store, deleting temporary files a crash left behind.
     *
     * @param dir the directory, created if needed
     * @throws IOException when the file system fails
     */
    public SnapshotStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(Files2.TEMP_SUFFIX)).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Saves a snapshot durably, then deletes older ones.
     *
     * @param snapshot the snapshot
     * @throws IOException when the file system fails; older snapshots are then still in place
     */
    public void save(Snapshot snapshot) throws IOException {
        Snapshot.Metadata meta = snapshot.metadata();
        int size = 8 + 8 + 8 + EntryCodec.size(meta.membership()) + 4 + snapshot.data().length + 4;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(MAGIC).putLong(meta.index()).putLong(meta.term());
        EntryCodec.encode(meta.membership(), out);
        out.putInt(snapshot.data().length).put(snapshot.data());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, size - 4);
        out.putInt((int) crc.getValue()).flip();
        Path target = dir.resolve(String.format("snap-%020d.snap", meta.index()));
        Files2.writeAtomically(target, out);
        for (Path old : files()) {
            if (!old.equals(target) && old.getFileName().toString().compareTo(target.getFileName().toString()) < 0) {
                Files.delete(old);
            }
        }
        Files2.syncDirectory(dir);
    }

    /**
     * Reads the newest snapshot.
     *
     * @return the newest snapshot, if any
     * @throws CorruptLogException when it is damaged
     * @throws IOException         when the file system fails
     */
    public Optional<Snapshot> latest() throws IOException {
        List<Path> files = files();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path path = files.getLast();
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path));
        try {
            if (in.getLong() != MAGIC) {
                throw new CorruptLogException(path, 0, "bad snapshot magic");
            }
            CRC32C crc = new CRC32C();
            crc.update(in.array(), 0, in.limit() - 4);
            if ((int) crc.getValue() != in.getInt(in.limit() - 4)) {
                throw new CorruptLogException(path, 0, "snapshot checksum mismatch");
            }
            long index = in.getLong();
            long term = in.getLong();
            Membership membership = EntryCodec.decodeMembership(in);
            byte[] data = new byte[in.getInt()];
            in.get(data);
            return Optional.of(new Snapshot(new Snapshot.Metadata(index, term, membership), data));
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new CorruptLogException(path, in.position(), "truncated snapshot");
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches("snap-\\d{20}\\.snap")).sorted().toList();
        }
    }
}
