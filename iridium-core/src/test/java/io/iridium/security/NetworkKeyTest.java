package io.iridium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkKeyTest {

    /** Fixed by the PEM in {@link DevelopmentKey}: the same in every process and every build. */
    private static final String DEV_FINGERPRINT = "c0a6231654d895bb0b6f748b2e7de8cb9bb1955185e3b6c2d80d974a5dbc099c";
    private static final String DEV_MEMBERSHIP_KEY = "2e8a21dcc3c535d5ec29e01294ad732ed586b5b51506bda69cc5c7698f54cdec";

    private static NetworkKey alpha;
    private static NetworkKey beta;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateNetworks() {
        alpha = NetworkKey.generate("alpha");
        beta = NetworkKey.generate("beta-2.prod_eu");
    }

    @Test
    void generate_certificateNamesTheNetworkAndIsSelfSigned() throws Exception {
        assertThat(alpha.networkName()).isEqualTo("alpha");
        assertThat(alpha.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=iridium network alpha");
        assertThat(alpha.certificate().getIssuerX500Principal()).isEqualTo(alpha.certificate().getSubjectX500Principal());
        alpha.certificate().verify(alpha.certificate().getPublicKey());
        assertThat(alpha.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(alpha.toString()).contains("alpha").doesNotContain("PRIVATE");
    }

    @Test
    void generate_badNetworkName_rejected() {
        for (String bad : new String[] {"", "has space", "x".repeat(49), "semi;colon", "ü", "a,b", "CN=x"}) {
            assertThatThrownBy(() -> NetworkKey.generate(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fingerprint_isSha256OfTheCertificateDer() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(alpha.certificate().getEncoded());

        assertThat(alpha.fingerprint()).isEqualTo(HexFormat.of().formatHex(digest)).hasSize(64);
        assertThat(alpha.fingerprint()).isNotEqualTo(beta.fingerprint());
    }

    @Test
    void write_thenRead_givesTheSameKey() throws IOException {
        Path file = dir.resolve("network.key");

        beta.write(file);
        NetworkKey read = NetworkKey.read(file);

        assertThat(read.networkName()).isEqualTo("beta-2.prod_eu");
        assertThat(read.certificate()).isEqualTo(beta.certificate());
        assertThat(read.privateKey().getEncoded()).isEqualTo(beta.privateKey().getEncoded());
        assertThat(read.fingerprint()).isEqualTo(beta.fingerprint());
        assertThat(read.deriveKey("membership", 32)).isEqualTo(beta.deriveKey("membership", 32));
    }

    @Test
    void write_pemHasAPkcs8KeyThenTheCertificate() throws IOException {
        Path file = dir.resolve("network.key");
        alpha.write(file);

        String pem = Files.readString(file);

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .containsSubsequence("-----END PRIVATE KEY-----\n", "-----BEGIN CERTIFICATE-----\n",
                        "-----END CERTIFICATE-----\n");
    }

    @Test
    void write_fileIsReadableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("network.key");
        alpha.write(file);

        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void write_existingFile_refusedUnlessOverwriteAndThenReplaced() throws IOException {
        Path file = dir.resolve("network.key");
        Files.writeString(file, "precious");

        assertThatThrownBy(() -> alpha.write(file)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("refusing to overwrite");
        assertThatThrownBy(() -> alpha.write(file, false)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("precious");

        alpha.write(file, true);

        assertThat(NetworkKey.read(file).fingerprint()).isEqualTo(alpha.fingerprint());
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void read_missingFile_saysSo() {
        assertThatThrownBy(() -> NetworkKey.read(dir.resolve("absent.key")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("absent.key").hasMessageContaining("no network key file");
    }

    @Test
    void read_fileWithoutKey_saysSo() throws IOException {
        Path file = write("cert-only.key", certificateBlock(alpha));

        assertThatThrownBy(() -> NetworkKey.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no private key");
    }

    @Test
    void read_fileWithoutCertificate_saysSo() throws IOException {
        Path file = write("key-only.key", keyBlock(alpha));

        assertThatThrownBy(() -> NetworkKey.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no certificate");
    }

    @Test
    void read_emptyOrGarbageFile_saysThereIsNoKey() throws IOException {
        assertThatThrownBy(() -> NetworkKey.read(write("empty.key", ""))).hasMessageContaining("has no private key");
        Path garbage = dir.resolve("garbage.key");
        Files.write(garbage, new byte[] {(byte) 0xff, 0, 1, 2, (byte) 0xc3});
        assertThatThrownBy(() -> NetworkKey.read(garbage)).hasMessageContaining("has no private key");
    }

    @Test
    void read_keyOfOneNetworkWithCertificateOfAnother_saysTheyDoNotMatch() throws IOException {
        Path file = write("mixed.key", keyBlock(alpha) + certificateBlock(beta));

        assertThatThrownBy(() -> NetworkKey.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match the certificate");
    }

    @Test
    void read_corruptBlocks_sayWhichBlock() throws IOException {
        String badKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + certificateBlock(alpha);
        String badCert = keyBlock(alpha) + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        String badBase64 = "-----BEGIN PRIVATE KEY-----\nAAA=AAAA\n-----END PRIVATE KEY-----\n" + certificateBlock(alpha);
        String sec1 = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n" + certificateBlock(alpha);
        String twoKeys = keyBlock(alpha) + keyBlock(alpha) + certificateBlock(alpha);

        assertThatThrownBy(() -> NetworkKey.read(write("a", badKey))).hasMessageContaining("not a PKCS#8 EC key");
        assertThatThrownBy(() -> NetworkKey.read(write("b", badCert))).hasMessageContaining("not a valid X.509");
        assertThatThrownBy(() -> NetworkKey.read(write("c", badBase64))).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> NetworkKey.read(write("d", sec1))).hasMessageContaining("SEC1");
        assertThatThrownBy(() -> NetworkKey.read(write("e", twoKeys))).hasMessageContaining("2 private keys");
    }

    @Test
    void development_isTheSameWellKnownKeyEverywhere() {
        NetworkKey dev = NetworkKey.development();

        assertThat(dev).isSameAs(NetworkKey.development());
        assertThat(dev.networkName()).isEqualTo("dev");
        assertThat(dev.fingerprint()).isEqualTo(DEV_FINGERPRINT);
        assertThat(HexFormat.of().formatHex(dev.deriveKey("membership", 32))).isEqualTo(DEV_MEMBERSHIP_KEY);
        assertThat(NetworkKey.parse(DevelopmentKey.PEM, "again").fingerprint()).isEqualTo(DEV_FINGERPRINT);
    }

    @Test
    void deriveKey_dependsOnPurposeNetworkAndLength() {
        byte[] membership = alpha.deriveKey("membership", 32);

        assertThat(alpha.deriveKey("membership", 32)).isEqualTo(membership);
        assertThat(alpha.deriveKey("discovery", 32)).isNotEqualTo(membership);
        assertThat(beta.deriveKey("membership", 32)).isNotEqualTo(membership);
        assertThat(alpha.deriveKey("membership", 16)).isEqualTo(java.util.Arrays.copyOf(membership, 16));
        assertThat(alpha.deriveKey("membership", 100)).hasSize(100);
        assertThatThrownBy(() -> alpha.deriveKey(" ", 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> alpha.deriveKey("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        return file;
    }

    private static String keyBlock(NetworkKey key) {
        String pem = key.toPem();
        return pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE-----"));
    }

    private static String certificateBlock(NetworkKey key) {
        String pem = key.toPem();
        return pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----"));
    }
}
