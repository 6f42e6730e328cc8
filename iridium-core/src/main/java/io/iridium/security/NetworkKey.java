package io.iridium.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A network's key: an EC P-256 private key, the network's self-signed X.509 certificate
 * ({@code CN=iridium network <name>}) and the network name. Every node of a network holds the
 * same key; holding it is membership. TLS connections are mutually authenticated with it and
 * pinned to its certificate ({@link TlsContexts}); datagrams are sealed with keys derived from it
 * ({@link #deriveKey}, {@link DatagramSealer}).
 *
 * <p>File format (written by {@link #write}, read by {@link #read}), PEM with two blocks:
 * <pre>
 * -----BEGIN PRIVATE KEY-----        PKCS#8, unencrypted (the file is mode 600 instead)
 * MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg...
 * -----END PRIVATE KEY-----
 * -----BEGIN CERTIFICATE-----        X.509 v3, self-signed with the key, SHA256withECDSA
 * MIIBfzCCASWgAwIBAgIQ...
 * -----END CERTIFICATE-----
 * </pre>
 *
 * <p>Network names are 1 to 48 characters of {@code A-Z a-z 0-9 . _ -}, so that they fit the
 * certificate's common name (at most 64 characters) without escaping and are safe in file names
 * and logs. The certificate never expires (RFC 5280's 99991231235959Z): trust comes from pinning
 * its exact bytes, not from a validity period; replacing a key means a new network.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows the name and fingerprint,
 * never key material.
 */
public final class NetworkKey {

    private static final String CN_PREFIX = "iridium network ";
    private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9._-]{1,48}");
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ECParameterSpec P256 = p256();

    private final String networkName;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final byte[] fingerprint;

    private NetworkKey(String networkName, PrivateKey privateKey, X509Certificate certificate) {
        this.networkName = networkName;
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.fingerprint = sha256(encoded(certificate));
    }

    /**
     * Generates a new network: a fresh P-256 key pair from a {@link SecureRandom} and a
     * self-signed certificate naming the network.
     *
     * @param networkName 1 to 48 characters of {@code A-Z a-z 0-9 . _ -}
     * @return the new key, not yet written anywhere
     * @throws IllegalArgumentException if the name is not allowed
     */
    public static NetworkKey generate(String networkName) {
        requireNetworkName(networkName);
        SecureRandom random = new SecureRandom();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            return new NetworkKey(networkName, pair.getPrivate(), selfSign(networkName, pair, random));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate an EC P-256 network key with this JDK", e);
        }
    }

    /**
     * The well-known development key, network {@code "dev"}: the same in every process and on
     * every machine, so that nodes started with {@code --dev} find each other with no setup. Its
     * private key is public knowledge: it must never secure anything, and dev-mode nodes bind to
     * loopback only. Being a different certificate, it can never join a real network.
     *
     * @return the development key, parsed once per process
     */
    public static NetworkKey development() {
        return DevelopmentKey.KEY;
    }

    /**
     * Reads a key file written by {@link #write} (or any PEM file with one unencrypted PKCS#8
     * P-256 {@code PRIVATE KEY} block and one {@code CERTIFICATE} block of its matching,
     * self-signed network certificate).
     *
     * @param file the key file
     * @return the key it holds
     * @throws NoSuchFileException      if there is no such file
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if the file is not a network key: no key or no certificate,
     *                                  a key that is not P-256, a certificate that is not this
     *                                  key's or not a network certificate; the message says which
     */
    public static NetworkKey read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no network key file here (iridium keygen writes one)");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + " is not a network key file: larger than "
                    + MAX_FILE_BYTES + " bytes");
        }
        return parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
    }

    /**
     * Writes this key to a new file, readable and writable by its owner only (mode 600) where
     * the file system has POSIX permissions. Equivalent to {@code write(file, false)}.
     *
     * @param file where to write; its directory must exist
     * @throws FileAlreadyExistsException if {@code file} exists
     * @throws IOException                if it cannot be written
     */
    public void write(Path file) throws IOException {
        write(file, false);
    }

    /**
     * Writes this key as PEM (see the class comment), mode 600 where the file system has POSIX
     * permissions. Without {@code overwrite}, an existing file is left alone; with it, the file
     * is replaced atomically (written beside it, then renamed over it), so a reader never sees a
     * half-written key.
     *
     * @param file      where to write; its directory must exist
     * @param overwrite whether to replace an existing file
     * @throws FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
     * @throws IOException                if it cannot be written
     */
    public void write(Path file, boolean overwrite) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] pem = toPem().getBytes(StandardCharsets.US_ASCII);
        Path absolute = file.toAbsolutePath();
        boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        if (!overwrite) {
            try {
                Files.createFile(absolute, ownerOnly);
            } catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(file.toString(), null,
                        "a file is already there; refusing to overwrite it (ask to overwrite explicitly)");
            }
            try {
                if (posix) {
                    Files.setPosixFilePermissions(absolute, OWNER_ONLY);
                }
                Files.write(absolute, pem, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(absolute);
                throw e;
            }
            return;
        }
        Path temporary = Files.createTempFile(absolute.getParent(), ".iridium-key-", ".tmp", ownerOnly);
        try {
            Files.write(temporary, pem, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The network's name, from the certificate's common name.
     *
     * @return 1 to 48 characters of {@code A-Z a-z 0-9 . _ -}
     */
    public String networkName() {
        return networkName;
    }

    /**
     * The network's private key.
     *
     * @return an EC P-256 private key
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * The network's self-signed certificate, the one every peer must present.
     *
     * @return the certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The certificate's fingerprint, for logs and for telling networks apart.
     *
     * @return SHA-256 of the certificate's DER encoding, as 64 lower-case hex digits
     */
    public String fingerprint() {
        return HexFormat.of().formatHex(fingerprint);
    }

    /**
     * Derives a subkey for one purpose with HKDF-SHA256 (RFC 5869):
     * <pre>
     *   ikm  = the private key's scalar, 32 bytes big-endian
     *   salt = SHA-256 of the certificate DER (the fingerprint's bytes)
     *   info = UTF-8 of "iridium/v1/" + purpose
     * </pre>
     * The scalar (rather than a PKCS#8 encoding, which differs between tools for the same key)
     * makes the result depend only on the key itself. Every holder of the network key derives the
     * same bytes; different purposes give independent keys.
     *
     * @param purpose     what the key is for, e.g. {@code "membership"}; not blank
     * @param lengthBytes 1 to 8160
     * @return a fresh array the caller owns
     */
    public byte[] deriveKey(String purpose, int lengthBytes) {
        Objects.requireNonNull(purpose, "purpose");
        if (purpose.isBlank()) {
            throw new IllegalArgumentException("a derived key needs a purpose");
        }
        byte[] ikm = scalar((ECPrivateKey) privateKey);
        try {
            return Hkdf.derive(fingerprint.clone(), ikm,
                    ("iridium/v1/" + purpose).getBytes(StandardCharsets.UTF_8), lengthBytes);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** The PEM text {@link #write} stores. */
    String toPem() {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        return "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n"
                + base64.encodeToString(encoded(certificate)) + "\n-----END CERTIFICATE-----\n";
    }

    @Override
    public String toString() {
        return "NetworkKey[" + networkName + ", sha256:" + fingerprint().substring(0, 16) + "]";
    }

    /**
     * Parses PEM text (see {@link #read}); {@code source} names it in error messages.
     *
     * @throws IllegalArgumentException if it is not a network key
     */
    static NetworkKey parse(String pem, String source) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> certificates = new ArrayList<>();
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            String label = block.group(1);
            switch (label) {
                case "PRIVATE KEY" -> keys.add(base64(block.group(2), label, source));
                case "CERTIFICATE" -> certificates.add(base64(block.group(2), label, source));
                case "EC PRIVATE KEY" -> throw new IllegalArgumentException(source
                        + ": the private key is in SEC1 (\"EC PRIVATE KEY\") form; convert it to PKCS#8"
                        + " (openssl pkcs8 -topk8 -nocrypt)");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        source + ": the private key is encrypted; network keys are stored unencrypted, mode 600");
                default -> { } // other blocks are ignored
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(source + " has no private key (no -----BEGIN PRIVATE KEY----- block)");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(source + " has no certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        if (keys.size() > 1 || certificates.size() > 1) {
            throw new IllegalArgumentException(source + " has " + keys.size() + " private keys and "
                    + certificates.size() + " certificates; a network key file has one of each");
        }
        PrivateKey privateKey = privateKey(keys.getFirst(), source);
        X509Certificate certificate = certificate(certificates.getFirst(), source);
        if (!(certificate.getPublicKey() instanceof ECKey publicKey) || !isP256(publicKey.getParams())) {
            throw new IllegalArgumentException(source + ": the certificate's key is not an EC P-256 key");
        }
        if (!matches(privateKey, certificate.getPublicKey())) {
            throw new IllegalArgumentException(source + ": the private key does not match the certificate");
        }
        try {
            certificate.verify(certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + ": the certificate is not self-signed by its key", e);
        }
        return new NetworkKey(networkNameOf(certificate, source), privateKey, certificate);
    }

    static void requireNetworkName(String networkName) {
        Objects.requireNonNull(networkName, "networkName");
        if (!NETWORK_NAME.matcher(networkName).matches()) {
            throw new IllegalArgumentException("a network name is 1 to 48 characters of A-Z a-z 0-9 . _ -, got \""
                    + networkName + "\"");
        }
    }

    private static X509Certificate selfSign(String networkName, KeyPair pair, SecureRandom random)
            throws OperatorCreationException, CertificateException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, CN_PREFIX + networkName).build();
        byte[] serial = new byte[16];
        random.nextBytes(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x40; // positive and non-zero, 127 bits
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(serial),
                Date.from(now.minus(Duration.ofDays(1))), // tolerate skewed clocks
                Date.from(Instant.parse("9999-12-31T23:59:59Z")), // RFC 5280: no expiry
                subject,
                pair.getPublic());
        byte[] der = builder.build(new JcaContentSignerBuilder(SIGNATURE).build(pair.getPrivate())).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] base64(String body, String label, String source) {
        try {
            return Base64.getMimeDecoder().decode(body.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the " + label + " block is not valid base64", e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8, String source) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": the private key is not a PKCS#8 EC key", e);
        }
        if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
            throw new IllegalArgumentException(source + ": the private key is not on curve P-256");
        }
        return key;
    }

    private static X509Certificate certificate(byte[] der, String source) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": the certificate is not a valid X.509 certificate", e);
        }
    }

    /** Proves possession: a signature by the private key verifies under the certificate's key. */
    private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] challenge = "iridium network key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(SIGNATURE);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(SIGNATURE);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String networkNameOf(X509Certificate certificate, String source) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        String prefix = "CN=" + CN_PREFIX;
        String name = subject.startsWith(prefix) ? subject.substring(prefix.length()) : "";
        if (!NETWORK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(source + ": the certificate is not an Iridium network certificate"
                    + " (subject " + subject + ", expected CN=" + CN_PREFIX + "<name>)");
        }
        return name;
    }

    private static boolean isP256(ECParameterSpec params) {
        return params != null
                && params.getCurve().equals(P256.getCurve())
                && params.getOrder().equals(P256.getOrder())
                && params.getGenerator().equals(P256.getGenerator());
    }

    private static ECParameterSpec p256() {
        try {
            java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static byte[] scalar(ECPrivateKey key) {
        byte[] magnitude = key.getS().toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - copy, fixed, 32 - copy, copy);
        Arrays.fill(magnitude, (byte) 0);
        return fixed;
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot encode a parsed certificate", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
