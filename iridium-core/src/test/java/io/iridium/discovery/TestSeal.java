package io.iridium.discovery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for the real datagram sealer: appends a 16-byte HMAC-SHA256 tag under a key.
 * Authenticates, does not encrypt, does not reject replays; enough to tell networks apart.
 */
final class TestSeal implements DatagramSeal {

    static final int TAG = 16;
    private final byte[] key;

    TestSeal(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] seal(byte[] payload) {
        byte[] out = Arrays.copyOf(payload, payload.length + TAG);
        System.arraycopy(tag(payload, payload.length), 0, out, payload.length, TAG);
        return out;
    }

    @Override
    public Optional<byte[]> open(byte[] datagram) {
        if (datagram.length < TAG) {
            return Optional.empty();
        }
        int n = datagram.length - TAG;
        byte[] expected = tag(datagram, n);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(datagram, n, datagram.length))
                ? Optional.of(Arrays.copyOf(datagram, n))
                : Optional.empty();
    }

    private byte[] tag(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, 0, length);
            return Arrays.copyOf(mac.doFinal(), TAG);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
