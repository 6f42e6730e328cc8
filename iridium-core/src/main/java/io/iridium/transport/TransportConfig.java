package io.iridium.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the data-plane transport.
 *
 * @param maxFrameBytes          largest frame accepted; checked before allocation
 * @param idleTimeout            a connection with no traffic either way closes after this
 * @param connectTimeout         a TCP connect that has not completed by then fails
 * @param handshakeTimeout       TLS plus Hello/HelloAck must complete within this
 * @param maxQueuedBytesPerPeer  bytes a sender may queue for one peer before back-pressure
 * @param reconnectBackoffMin    delay after the first failed connect to a peer
 * @param reconnectBackoffMax    the longest delay between connects to a peer
 */
public record TransportConfig(
        int maxFrameBytes,
        Duration idleTimeout,
        Duration connectTimeout,
        Duration handshakeTimeout,
        int maxQueuedBytesPerPeer,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax) {

    public TransportConfig {
        Objects.requireNonNull(idleTimeout);
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(handshakeTimeout);
        Objects.requireNonNull(reconnectBackoffMin);
        Objects.requireNonNull(reconnectBackoffMax);
        if (maxFrameBytes < 1024 || maxQueuedBytesPerPeer < maxFrameBytes) {
            throw new IllegalArgumentException("need 1 KiB <= maxFrameBytes <= maxQueuedBytesPerPeer");
        }
    }

    /** Defaults for a frame limit and idle timeout chosen by the node's {@code Config}. */
    public static TransportConfig defaults(int maxFrameBytes, Duration idleTimeout) {
        return new TransportConfig(
                maxFrameBytes,
                idleTimeout,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Math.max(maxFrameBytes, 32 * 1024 * 1024),
                Duration.ofMillis(100),
                Duration.ofSeconds(10));
    }
}
