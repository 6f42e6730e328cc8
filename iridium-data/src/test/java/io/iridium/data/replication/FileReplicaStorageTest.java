package io.iridium.data.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.data.CorruptDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable replica storage in a directory: states round-trip, a save replaces the key's previous
 * record atomically (no temporary file survives, an interrupted save leaves the old record), and
 * a torn or corrupted file is reported with an error naming it — by the strict {@link
 * FileReplicaStorage#loadStrict}, while {@link FileReplicaStorage#load} (what the replicator
 * uses) still returns every other key and moves the damaged file aside.
 */
class FileReplicaStorageTest {

    private static KeyState state(String key, String text) {
        return new KeyState(key, "lww-register<utf8>", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void save_thenLoad_roundTripsEveryKey_includingOddKeys(@TempDir Path directory) {
        FileReplicaStorage storage = new FileReplicaStorage(directory);
        List<KeyState> states = List.of(state("plain", "a"), state("with/slash and ✓", "b"),
                state("", "empty key"), new KeyState("bytes", "g-counter", new byte[0]));
        states.forEach(storage::save);

        assertThat(new FileReplicaStorage(directory).load()).containsExactlyInAnyOrderElementsOf(states);
    }

    @Test
    void save_replacesThePreviousRecord_andLeavesNoTemporaryFile(@TempDir Path directory) throws IOException {
        FileReplicaStorage storage = new FileReplicaStorage(directory);
        storage.save(state("k", "old"));
        storage.save(state("k", "new"));

        assertThat(storage.load()).containsExactly(state("k", "new"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().endsWith(".state");
        }
    }

    @Test
    void interruptedSave_leftoverTemporaryFile_isIgnoredAndRemoved_oldRecordKept(@TempDir Path directory)
            throws IOException {
        FileReplicaStorage storage = new FileReplicaStorage(directory);
        storage.save(state("k", "committed"));
        Path record = onlyStateFile(directory);
        // A crash between writing the temporary file and renaming it: half a new record.
        Path temporary = directory.resolve(record.getFileName().toString().replace(".state", ".tmp"));
        Files.write(temporary, Arrays.copyOf(Files.readAllBytes(record), 7));

        assertThat(new FileReplicaStorage(directory).load()).containsExactly(state("k", "committed"));
        assertThat(temporary).doesNotExist();
    }

    @Test
    void tornFile_isDetectedWithAClearError_namingTheFile(@TempDir Path directory) throws IOException {
        FileReplicaStorage storage = new FileReplicaStorage(directory);
        storage.save(state("k", "a value long enough to tear"));
        Path record = onlyStateFile(directory);
        byte[] bytes = Files.readAllBytes(record);
        Files.write(record, Arrays.copyOf(bytes, bytes.length - 5));

        assertThatThrownBy(storage::loadStrict).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(record.getFileName().toString()).hasMessageContaining("checksum");
    }

    @Test
    void flippedBitOrForeignFile_isDetected(@TempDir Path directory) throws IOException {
        FileReplicaStorage storage = new FileReplicaStorage(directory);
        storage.save(state("k", "v"));
        Path record = onlyStateFile(directory);
        byte[] bytes = Files.readAllBytes(record);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(record, bytes);
        assertThatThrownBy(storage::loadStrict).isInstanceOf(CorruptDataException.class).hasMessageContaining("checksum");

        Files.writeString(record, "not a state file");
        assertThatThrownBy(storage::loadStrict).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("is not a replica state file");
    }

    @Test
    void loadIntact_corruptFile_otherKeysStillLoad_andTheDamagedFileIsMovedAside(@TempDir Path directory)
            throws IOException {
        FileReplicaStorage storage = new FileReplicaStorage(directory);
        storage.save(state("good", "kept"));
        storage.save(state("bad", "to be damaged"));
        storage.save(state("also good", "kept too"));
        Path bad = directory.resolve(FileReplicaStorage.fileName("bad") + ".state");
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));

        List<String> problems = new java.util.ArrayList<>();
        assertThat(storage.loadIntact(problems::add))
                .containsExactlyInAnyOrder(state("good", "kept"), state("also good", "kept too"));
        assertThat(problems).singleElement().asString().contains(bad.getFileName().toString());
        assertThat(bad).doesNotExist();
        assertThat(directory.resolve(bad.getFileName() + ".corrupt")).exists();
        // The key is simply missing now: a later save writes it afresh, and a strict load succeeds.
        storage.save(state("bad", "refilled"));
        assertThat(storage.loadStrict()).hasSize(3);
    }

    private static Path onlyStateFile(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".state")).findFirst().orElseThrow();
        }
    }
}
