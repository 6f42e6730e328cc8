package io.iridium.security;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), on the JDK's {@link Mac}.
 *
 * <pre>
 *   PRK = HMAC(salt, IKM)                                   extract (empty salt = 32 zero bytes)
 *   T(0) = ""
 *   T(i) = HMAC(PRK, T(i-1) || info || i)   i = 1..N        expand, N = ceil(L / 32) &lt;= 255
 *   OKM = first L bytes of T(1) || T(2) || ... || T(N)
 * </pre>
 *
 * <p>Stateless and thread-safe: each call uses its own {@code Mac}. Intermediate blocks are
 * zeroed before returning.
 */
final class Hkdf {

    static final int HASH_BYTES = 32;
    static final int MAX_OUTPUT_BYTES = 255 * HASH_BYTES;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {}

    /** Extract then expand: {@code length} bytes of output keying material. */
    static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = extract(salt, ikm);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** The pseudorandom key {@code HMAC-SHA256(salt, ikm)}; a null or empty salt means 32 zero bytes. */
    static byte[] extract(byte[] salt, byte[] ikm) {
        byte[] key = salt == null || salt.length == 0 ? new byte[HASH_BYTES] : salt;
        Mac mac = mac(key);
        return mac.doFinal(ikm);
    }

    /**
     * Expands {@code prk} into {@code length} bytes bound to {@code info}.
     *
     * @throws IllegalArgumentException if {@code length} is not 1..8160 or {@code prk} is shorter than a hash
     */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("HKDF output length must be 1.." + MAX_OUTPUT_BYTES + ", got " + length);
        }
        if (prk.length < HASH_BYTES) {
            throw new IllegalArgumentException("HKDF pseudorandom key must be at least " + HASH_BYTES + " bytes");
        }
        Mac mac = mac(prk);
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        int written = 0;
        for (int counter = 1; written < length; counter++) {
            mac.update(block);
            mac.update(info);
            mac.update((byte) counter);
            Arrays.fill(block, (byte) 0);
            block = mac.doFinal();
            int n = Math.min(block.length, length - written);
            System.arraycopy(block, 0, out, written, n);
            written += n;
        }
        Arrays.fill(block, (byte) 0);
        return out;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable HMAC key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + HMAC, e);
        }
    }
}
