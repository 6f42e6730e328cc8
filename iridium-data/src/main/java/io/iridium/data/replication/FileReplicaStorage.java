package io.iridium.data.replication;

import io.iridium.data.CorruptDataException;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * {@link ReplicaStorage} in a data directory: one file per key, replaced atomically.
 *
 * <p>A save writes the record to {@code <name>.tmp}, forces it to disk, renames it over
 * {@code <name>.state} with an atomic move and forces the directory, so a crash at any moment
 * leaves either the old record or the new one, never a torn one. File names are the first 32
 * hex digits of the SHA-256 of the key (keys may hold any characters); the key itself is inside.
 *
 * <pre>
 *   file = "IRDS" | version 1 (1 byte) | crc32c of record (4 bytes, big-endian) | record
 *   record = key string | type string | state bytes      (as in {@link ReplicaMessageCodec})
 * </pre>
 * The replica set this replica has known ({@link KnownReplicas}) lives beside the states in
 * {@value #KNOWN_REPLICAS_FILE}, in the same framing and replaced the same way.
 * A record that does not check out (which atomic replacement rules out short of disk corruption
 * or tampering) is reported with the file's name and what is wrong: {@link #load} moves it aside
 * and loads every other key, {@link #loadStrict} throws {@link CorruptDataException}. Both delete
 * leftover {@code .tmp} files of interrupted saves.
 *
 * <p>Thread-safe as far as the file system is; the replicator calls it from one thread at a time.
 */
public final class FileReplicaStorage implements ReplicaStorage {

    private static final byte[] MAGIC = "IRDS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** The file holding the replica set this replica has known ({@link KnownReplicas}). */
    public static final String KNOWN_REPLICAS_FILE = "known-replicas.members";
    private static final System.Logger LOG = System.getLogger("io.iridium.data");

    private final Path directory;

    /**
     * Storage in {@code directory}, created if missing.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public FileReplicaStorage(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
    }

    /** The data directory. */
    public Path directory() {
        return directory;
    }

    /**
     * Every intact record. A file that does not check out (torn, bit-flipped, foreign) costs only
     * its own key: it is renamed to {@code <name>.state.corrupt} for inspection, reported as a
     * warning on the {@code io.iridium.data} system logger, and the other keys load as usual; the
     * missing key is refilled from the other replicas by anti-entropy. (Atomic replacement rules
     * such files out short of disk corruption or tampering.)
     *
     * @throws UncheckedIOException if the directory cannot be read
     */
    @Override
    public List<KeyState> load() {
        return loadIntact(problem -> LOG.log(System.Logger.Level.WARNING, problem));
    }

    /**
     * Like {@link #load()}, reporting each damaged file (its path and what is wrong with it) to
     * {@code problems} instead of the logger.
     */
    public List<KeyState> loadIntact(Consumer<String> problems) {
        List<KeyState> states = new ArrayList<>();
        for (Path file : stateFiles()) {
            try {
                states.add(read(file));
            } catch (CorruptDataException e) {
                Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
                try {
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException moveFailure) {
                    throw new UncheckedIOException("cannot move the damaged " + file + " aside", moveFailure);
                }
                problems.accept(e.getMessage() + "; moved to " + aside.getFileName()
                        + " (the key will be refilled from other replicas)");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return states;
    }

    /**
     * Every record, failing on the first damaged file.
     *
     * @throws CorruptDataException naming the file and what is wrong with it
     * @throws UncheckedIOException if the directory cannot be read
     */
    public List<KeyState> loadStrict() {
        List<KeyState> states = new ArrayList<>();
        for (Path file : stateFiles()) {
            try {
                states.add(read(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return states;
    }

    /** The {@code .state} files, after deleting the {@code .tmp} leftovers of interrupted saves. */
    private List<Path> stateFiles() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(".state")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data directory " + directory, e);
        }
        files.sort(null);
        return files;
    }

    @Override
    public void save(KeyState state) {
        DataWriter record = new DataWriter();
        ReplicaMessageCodec.writeState(state, record);
        writeAtomically(fileName(state.key()) + ".state", record.toByteArray(), "'" + state.key() + "'");
    }

    /**
     * The replica set from {@value #KNOWN_REPLICAS_FILE}; empty when there is none. A damaged file
     * is reported and ignored (the set is then relearned from the live view).
     */
    @Override
    public Optional<KnownReplicas> loadKnownReplicas() {
        Path file = directory.resolve(KNOWN_REPLICAS_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KnownReplicas.decode(checkedBody(file, Files.readAllBytes(file))));
        } catch (CorruptDataException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; the replica set is relearned from the live view");
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void saveKnownReplicas(KnownReplicas replicas) {
        writeAtomically(KNOWN_REPLICAS_FILE, replicas.encode(), "the replica set");
    }

    private void writeAtomically(String fileName, byte[] body, String what) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer file = ByteBuffer.allocate(MAGIC.length + 1 + 4 + body.length);
        file.put(MAGIC).put((byte) VERSION).putInt((int) crc.getValue()).put(body).flip();
        Path target = directory.resolve(fileName);
        Path temporary = directory.resolve(fileName + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                while (file.hasRemaining()) {
                    channel.write(file);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + what + " to " + target, e);
        }
    }

    private KeyState read(Path file) throws IOException {
        DataReader in = new DataReader(checkedBody(file, Files.readAllBytes(file)));
        KeyState state = ReplicaMessageCodec.readState(in);
        in.requireEnd();
        if (!fileName(state.key()).equals(file.getFileName().toString().replace(".state", ""))) {
            throw new CorruptDataException(file + " holds key '" + state.key() + "', which belongs in another file");
        }
        return state;
    }

    /** The record of {@code bytes} after checking the magic, version and checksum. */
    private static byte[] checkedBody(Path file, byte[] bytes) {
        int header = MAGIC.length + 1 + 4;
        if (bytes.length < header || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptDataException(file + " is not a replica state file");
        }
        if (bytes[MAGIC.length] != VERSION) {
            throw new CorruptDataException(file + " has unsupported format version " + bytes[MAGIC.length]);
        }
        int expected = ByteBuffer.wrap(bytes, MAGIC.length + 1, 4).getInt();
        CRC32C crc = new CRC32C();
        crc.update(bytes, header, bytes.length - header);
        if ((int) crc.getValue() != expected) {
            throw new CorruptDataException(file + " fails its checksum");
        }
        return java.util.Arrays.copyOfRange(bytes, header, bytes.length);
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or force a directory; the rename itself is still atomic.
        }
    }

    /** The file name (without extension) of {@code key}'s record. */
    static String fileName(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
