package io.iridium.security;

import io.iridium.security.OpenResult.Opened;
import io.iridium.security.OpenResult.Reason;
import io.iridium.security.OpenResult.Rejected;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens membership and discovery datagrams with AES-256-GCM under
 * {@code key.deriveKey("membership", 32)}, rejecting forgeries, stale datagrams and replays.
 *
 * <pre>
 *   0        1                  13                                   n-16       n
 *   +--------+------------------+------------------------------------+----------+
 *   | ver=1  | nonce (12 bytes) | ciphertext of:                     | GCM tag  |
 *   | u8     | random           |   sender clock millis (i64) ‖      | 16 bytes |
 *   |        |                  |   payload                          |          |
 *   +--------+------------------+------------------------------------+----------+
 *   AAD = the version byte;   overhead = 37 bytes
 * </pre>
 *
 * <p>Nothing in the envelope identifies the network: no name, no key id, no fingerprint. A node
 * of another network (or a stranger) sees random bytes and fails authentication, as this node does
 * with theirs. The timestamp is inside the ciphertext, so it is authenticated and hidden.
 *
 * <p>{@link #open} checks, in order: length ({@link Reason#TOO_SHORT}), version
 * ({@link Reason#UNKNOWN_VERSION}), the GCM tag ({@link Reason#AUTHENTICATION_FAILED}), the
 * sender's timestamp against this node's clock, within plus or minus the maximum age
 * ({@link Reason#STALE}), then the nonce against a {@link ReplayGuard} that remembers accepted
 * nonces for as long as they could pass the timestamp check ({@link Reason#REPLAYED}). Clocks of
 * nodes must agree to within the maximum age (default 60 s).
 *
 * <p>Nonces are 96 random bits per datagram from the given generator (a {@code SecureRandom} in
 * the runtime, a seeded generator in the simulator). With random nonces, AES-GCM stays within its
 * bounds for about 2<sup>32</sup> datagrams per key; membership traffic is orders of magnitude
 * below that over a network key's life.
 *
 * <p>Threading: meant for the one event loop that owns the membership socket. A sealer holds one
 * {@link Cipher} for sealing and one for opening, reused across calls (initialising a cipher is
 * cheap, creating one is not); {@link #seal} touches only the sealing cipher and the nonce source,
 * {@link #open} only the opening cipher and the replay guard. So one thread may seal while another
 * opens (given a thread-safe clock, and a nonce source used by nobody else), but two concurrent
 * {@code seal}s or two concurrent {@code open}s corrupt each other: serialise them, or give each
 * thread its own sealer (at the cost of separate replay memories).
 */
public final class DatagramSealer {

    /** The envelope version this build writes and reads. */
    public static final int VERSION = 1;
    /** The default largest difference between a sender's timestamp and this node's clock. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(60);
    /** Bytes a sealed datagram adds to its payload. */
    public static final int OVERHEAD_BYTES = 1 + 12 + 8 + 16;
    /** The largest payload whose sealed datagram fits in one UDP datagram over IPv4. */
    public static final int MAX_PAYLOAD_BYTES = 65_507 - OVERHEAD_BYTES;

    static final int REPLAY_CAPACITY = 200_000;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKey key;
    private final LongSupplier clockMillis;
    private final long maxAgeMillis;
    private final RandomGenerator random;
    private final Cipher sealCipher;
    private final Cipher openCipher;
    private final ReplayGuard replayGuard;
    private final byte[] aad = {VERSION};
    /** The key purpose of membership and routing datagrams. */
    public static final String MEMBERSHIP = "membership";
    /** The key purpose of discovery beacons. */
    public static final String BEACON = "beacon";

    /**
     * A sealer with the default maximum age.
     *
     * @param networkKey  the network's key, from which the sealing key is derived
     * @param clockMillis this node's clock (wall clock in the runtime, virtual in the simulator)
     * @param random      the nonce source; cryptographically secure in the runtime
     */
    public DatagramSealer(NetworkKey networkKey, LongSupplier clockMillis, RandomGenerator random) {
        this(networkKey, clockMillis, DEFAULT_MAX_AGE, random);
    }

    /**
     * A sealer with the given maximum age.
     *
     * @param networkKey  the network's key, from which the sealing key is derived
     * @param clockMillis this node's clock (wall clock in the runtime, virtual in the simulator)
     * @param maxAge      how far a sender's timestamp may be from this node's clock, either way;
     *                    also how long nonces are remembered
     * @param random      the nonce source; cryptographically secure in the runtime
     * @throws IllegalArgumentException if {@code maxAge} is not positive
     */
    public DatagramSealer(NetworkKey networkKey, LongSupplier clockMillis, Duration maxAge, RandomGenerator random) {
        this(networkKey, MEMBERSHIP, clockMillis, maxAge, random);
    }

    /**
     * A sealer under a key derived for {@code purpose}: datagrams sealed for one purpose (say,
     * {@link #BEACON}) never open under another ({@link #MEMBERSHIP}), even on the same port.
     *
     * @param purpose the HKDF purpose of the sealing key
     * @throws IllegalArgumentException if {@code maxAge} is not positive
     */
    public DatagramSealer(NetworkKey networkKey, String purpose, LongSupplier clockMillis, Duration maxAge, RandomGenerator random) {
        Objects.requireNonNull(networkKey, "networkKey");
        Objects.requireNonNull(purpose, "purpose");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        this.random = Objects.requireNonNull(random, "random");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        this.maxAgeMillis = maxAge.toMillis();
        byte[] keyBytes = networkKey.deriveKey(purpose, 32);
        this.key = new SecretKeySpec(keyBytes, "AES");
        Arrays.fill(keyBytes, (byte) 0);
        try {
            this.sealCipher = Cipher.getInstance(TRANSFORMATION);
            this.openCipher = Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + TRANSFORMATION, e);
        }
        this.replayGuard = new ReplayGuard(maxAgeMillis, REPLAY_CAPACITY);
    }

    /**
     * Seals {@code payload} with a fresh nonce and this node's current time.
     *
     * @param payload the bytes to protect; not modified
     * @return the datagram to send, {@link #OVERHEAD_BYTES} longer than the payload
     * @throws IllegalArgumentException if the payload exceeds {@link #MAX_PAYLOAD_BYTES}
     */
    public byte[] seal(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                    + MAX_PAYLOAD_BYTES + ", the most one sealed datagram can carry");
        }
        byte[] datagram = new byte[OVERHEAD_BYTES + payload.length];
        datagram[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, datagram, 1, NONCE_BYTES);
        byte[] plaintext = ByteBuffer.allocate(8 + payload.length)
                .putLong(clockMillis.getAsLong())
                .put(payload)
                .array();
        try {
            sealCipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            sealCipher.updateAAD(aad);
            sealCipher.doFinal(plaintext, 0, plaintext.length, datagram, 1 + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        return datagram;
    }

    /**
     * Opens a datagram: authenticates it, checks its freshness, and remembers it so that a
     * replay is refused. Never throws for any content of {@code datagram}.
     *
     * @param datagram the bytes received; not modified
     * @return {@link Opened} with the payload, or {@link Rejected} with the first check it failed
     */
    public OpenResult open(byte[] datagram) {
        Objects.requireNonNull(datagram, "datagram");
        if (datagram.length < 1) {
            return new Rejected(Reason.TOO_SHORT);
        }
        if (datagram[0] != VERSION) {
            return new Rejected(Reason.UNKNOWN_VERSION);
        }
        if (datagram.length < OVERHEAD_BYTES) {
            return new Rejected(Reason.TOO_SHORT);
        }
        byte[] plaintext;
        try {
            openCipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, datagram, 1, NONCE_BYTES));
            openCipher.updateAAD(aad);
            plaintext = openCipher.doFinal(datagram, 1 + NONCE_BYTES, datagram.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            return new Rejected(Reason.AUTHENTICATION_FAILED);
        }
        long sentAt = ByteBuffer.wrap(plaintext).getLong();
        long now = clockMillis.getAsLong();
        if (sentAt < saturatingAdd(now, -maxAgeMillis) || sentAt > saturatingAdd(now, maxAgeMillis)) {
            return new Rejected(Reason.STALE);
        }
        ByteBuffer nonce = ByteBuffer.wrap(datagram, 1, NONCE_BYTES);
        if (!replayGuard.firstSeen(new ReplayGuard.Nonce(nonce.getLong(), nonce.getInt()), sentAt, now)) {
            return new Rejected(Reason.REPLAYED);
        }
        return new Opened(Arrays.copyOfRange(plaintext, 8, plaintext.length));
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
