package io.iridium.discovery;

import java.util.Optional;

/**
 * Authenticates (and may encrypt) one datagram under the network key: what discovery needs of
 * the security layer, kept to two methods so this package does not depend on it.
 *
 * <p>The runtime adapts {@code io.iridium.security.DatagramSealer} to this interface. An
 * implementation must reject datagrams sealed under another key, replays and stale datagrams,
 * and must not reveal the network's name in clear text.
 *
 * <p>Threading: {@link MulticastBeacons} calls {@link #seal} from its sending thread and
 * {@link #open} from its receiving thread, possibly at the same time; implementations must be
 * thread-safe.
 */
public interface DatagramSeal {

    /**
     * Seals {@code payload} for sending.
     *
     * @param payload the clear bytes; not modified
     * @return a new array holding the sealed datagram
     */
    byte[] seal(byte[] payload);

    /**
     * Opens a received datagram.
     *
     * @param datagram the bytes received; not modified
     * @return the payload, or empty when the datagram is forged, sealed under another key,
     *     replayed, stale or garbage. Never throws for bad input.
     */
    Optional<byte[]> open(byte[] datagram);
}
