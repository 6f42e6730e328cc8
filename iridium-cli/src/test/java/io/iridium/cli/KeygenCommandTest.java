package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.security.NetworkKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iridium keygen} writes a key that nodes can read, and never replaces one unasked. */
final class KeygenCommandTest {

    @TempDir
    Path directory;

    @Test
    void keygen_newFile_writesAReadableKeyAndPrintsItsFingerprint() throws Exception {
        Path file = directory.resolve("prod.key");

        RunResult result = RunResult.run("keygen", "--out", file.toString(), "--network", "prod");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        NetworkKey key = NetworkKey.read(file);
        assertThat(key.networkName()).isEqualTo("prod");
        assertThat(result.out())
                .contains("Fingerprint: " + key.fingerprint())
                .contains("iridium node --key " + file.toAbsolutePath())
                .contains("--join");
    }

    @Test
    void keygen_existingFileWithoutForce_refusesAndLeavesItAlone() throws Exception {
        Path file = directory.resolve("net.key");
        Files.writeString(file, "precious");

        RunResult result = RunResult.run("keygen", "--out", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("already exists", "--force").doesNotContain("Exception");
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    @Test
    void keygen_existingFileWithForce_replacesItWithANewKey() throws Exception {
        Path file = directory.resolve("net.key");
        assertThat(RunResult.run("keygen", "--out", file.toString()).exitCode()).isZero();
        String firstFingerprint = NetworkKey.read(file).fingerprint();

        RunResult result = RunResult.run("keygen", "--out", file.toString(), "--force");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(NetworkKey.read(file).fingerprint()).isNotEqualTo(firstFingerprint);
    }

    @Test
    void keygen_networkNameWithSpaces_failsWithoutWritingAFile() {
        Path file = directory.resolve("net.key");

        RunResult result = RunResult.run("keygen", "--out", file.toString(), "--network", "my network");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("iridium keygen: ").doesNotContain("Exception");
        assertThat(file).doesNotExist();
    }
}
