package io.iridium.discovery;

import io.iridium.Endpoint;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes {@link Beacon}s: one fixed header and the host, big-endian.
 *
 * <pre>
 *  0       2       3       4                       12      14      15
 *  +-------+-------+-------+-----------------------+-------+-------+----------------------+
 *  | magic | ver   | flags |  instance id          | port  | hlen  | host                 |
 *  | 'I''B'| = 1   | = 0   |  8 bytes              | u16   | u8    | hlen bytes, ASCII    |
 *  +-------+-------+-------+-----------------------+-------+-------+----------------------+
 * </pre>
 *
 * <p>Decoding is strict: the length must be exactly {@code 15 + hlen}; magic, version and flags
 * must match; the port must be 1 to 65535; {@code hlen} must be 1 to {@value #MAX_HOST_LENGTH};
 * the host may hold only {@code [A-Za-z0-9.:%_-]}. Anything else throws
 * {@link MalformedBeaconException} and nothing else: {@link #decode} never throws an unchecked
 * exception, whatever the bytes. The codec holds no state and is thread-safe.
 */
public final class BeaconCodec {

    /** The first two bytes of every beacon: ASCII {@code IB}. */
    public static final int MAGIC = 0x4942;
    /** The only version this codec reads and writes. */
    public static final int VERSION = 1;
    /** Bytes before the host. */
    public static final int HEADER_LENGTH = 15;
    /** The longest host a beacon carries (the longest DNS name). */
    public static final int MAX_HOST_LENGTH = 253;
    /** The longest encoded beacon. */
    public static final int MAX_LENGTH = HEADER_LENGTH + MAX_HOST_LENGTH;

    private BeaconCodec() {}

    /**
     * Encodes {@code beacon}; the array is exactly as long as the encoding.
     *
     * @param beacon a beacon (valid by construction)
     * @return a new array of {@code 15 + host length} bytes
     */
    public static byte[] encode(Beacon beacon) {
        byte[] host = beacon.endpoint().host().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[HEADER_LENGTH + host.length];
        out[0] = (byte) (MAGIC >>> 8);
        out[1] = (byte) MAGIC;
        out[2] = VERSION;
        out[3] = 0;
        long id = beacon.instanceId();
        for (int i = 0; i < 8; i++) {
            out[4 + i] = (byte) (id >>> (56 - 8 * i));
        }
        int port = beacon.endpoint().port();
        out[12] = (byte) (port >>> 8);
        out[13] = (byte) port;
        out[14] = (byte) host.length;
        System.arraycopy(host, 0, out, HEADER_LENGTH, host.length);
        return out;
    }

    /**
     * Decodes one beacon from all of {@code bytes}.
     *
     * @param bytes an opened datagram's payload; not modified
     * @return the beacon
     * @throws MalformedBeaconException naming the first problem found; never any other exception
     *     (a {@code null} array is malformed too)
     */
    public static Beacon decode(byte[] bytes) throws MalformedBeaconException {
        if (bytes == null) {
            throw new MalformedBeaconException("no beacon bytes");
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new MalformedBeaconException(
                    "beacon too short: " + bytes.length + " bytes, the header alone is " + HEADER_LENGTH);
        }
        int magic = (bytes[0] & 0xff) << 8 | (bytes[1] & 0xff);
        if (magic != MAGIC) {
            throw new MalformedBeaconException("not a beacon: bad magic 0x" + Integer.toHexString(magic));
        }
        if (bytes[2] != VERSION) {
            throw new MalformedBeaconException("unsupported beacon version " + (bytes[2] & 0xff));
        }
        if (bytes[3] != 0) {
            throw new MalformedBeaconException("unknown beacon flags 0x" + Integer.toHexString(bytes[3] & 0xff));
        }
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = id << 8 | (bytes[4 + i] & 0xff);
        }
        int port = (bytes[12] & 0xff) << 8 | (bytes[13] & 0xff);
        int hostLength = bytes[14] & 0xff;
        if (bytes.length != HEADER_LENGTH + hostLength) {
            throw new MalformedBeaconException("beacon length " + bytes.length + " does not match its host length "
                    + hostLength + " (expected " + (HEADER_LENGTH + hostLength) + ")");
        }
        String host = new String(bytes, HEADER_LENGTH, hostLength, StandardCharsets.ISO_8859_1);
        String problem = problemWith(host, port);
        if (problem != null) {
            throw new MalformedBeaconException(problem);
        }
        return new Beacon(id, new Endpoint(host, port));
    }

    /** Why {@code host}/{@code port} cannot travel in a beacon, or {@code null} when they can. */
    static String problemWith(String host, int port) {
        if (port < 1 || port > 65_535) {
            return "beacon port out of range 1..65535: " + port;
        }
        int length = host.length();
        if (length < 1 || length > MAX_HOST_LENGTH) {
            return "beacon host length out of range 1.." + MAX_HOST_LENGTH + ": " + length;
        }
        for (int i = 0; i < length; i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == ':' || c == '-' || c == '_' || c == '%';
            if (!ok) {
                return "beacon host has a character outside [A-Za-z0-9.:%_-] at index " + i;
            }
        }
        return null;
    }
}
