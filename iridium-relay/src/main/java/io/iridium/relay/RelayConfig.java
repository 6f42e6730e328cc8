package io.iridium.relay;

import io.iridium.Config;
import io.iridium.ServiceLimits;
import io.iridium.TopicLimits;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.WireLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RelayServer} listens and what it allows each connection. Immutable; build with
 * {@link #builder()}, every option beside its default:
 *
 * @param address               where to listen; {@code 127.0.0.1:55555} by default (loopback only)
 * @param handshakeTimeout      a connection that has not finished its INIT by then is closed (5 s);
 *                              the reference relay has no deadline, so one silent socket blocks it
 * @param tunnelConfirmTimeout  a service must confirm an inbound tunnel within this (3 s, as Iris)
 * @param maxOutboundBytes      bytes a connection may have written but not yet read by its client
 *                              (64 MiB); a client that lets more pile up (it stopped reading) is
 *                              dropped with a logged reason. Broadcasts and events for a connection
 *                              that is not keeping up wait in a smaller queue of their own and are
 *                              dropped, counted, beyond it
 * @param tunnelSendTimeout     how long a tunnel message from a client may wait for the far side's
 *                              credit before the tunnel is closed with a reason (30 s)
 * @param maxRequestsInFlight   a connection's requests awaiting replies; beyond it the relay stops
 *                              reading that connection until some complete (10 000)
 * @param wire                  bounds on every length read from a client
 * @param serviceLimits         the limits of the node service that relay services of one cluster share
 * @param topicLimits           the limits of each relay subscription
 * @param ioThreads             event-loop threads of the relay's listener and connections (1)
 * @param ioSpin                how long such a thread that runs out of work polls, yielding, before
 *                              it sleeps ({@link io.iridium.Config#DEFAULT_IO_SPIN}, 50 µs; zero for
 *                              never): a client's next request then finds it awake, which cut the
 *                              1-caller round trip from 78.5 to 49.4 µs. It stops polling when
 *                              polls keep finding nothing, as a node's data-plane threads do
 */
public record RelayConfig(
        InetSocketAddress address,
        Duration handshakeTimeout,
        Duration tunnelConfirmTimeout,
        Duration tunnelSendTimeout,
        long maxOutboundBytes,
        int maxRequestsInFlight,
        WireLimits wire,
        ServiceLimits serviceLimits,
        TopicLimits topicLimits,
        int ioThreads,
        Duration ioSpin) {

    public RelayConfig {
        Objects.requireNonNull(address, "address");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(tunnelConfirmTimeout, "tunnelConfirmTimeout");
        requirePositive(tunnelSendTimeout, "tunnelSendTimeout");
        if (maxOutboundBytes < 1) {
            throw new IllegalArgumentException("maxOutboundBytes must be at least 1");
        }
        if (maxRequestsInFlight < 1) {
            throw new IllegalArgumentException("maxRequestsInFlight must be at least 1");
        }
        Objects.requireNonNull(wire, "wire");
        Objects.requireNonNull(serviceLimits, "serviceLimits");
        Objects.requireNonNull(topicLimits, "topicLimits");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1");
        }
        Config.requireValidIoSpin(ioSpin);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** The default address: loopback, port {@value Protocol#DEFAULT_PORT}. */
    public static InetSocketAddress defaultAddress() {
        return new InetSocketAddress("127.0.0.1", Protocol.DEFAULT_PORT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from every default. */
    public static final class Builder {
        private InetSocketAddress address = defaultAddress();
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration tunnelConfirmTimeout = Duration.ofSeconds(3);
        private Duration tunnelSendTimeout = Duration.ofSeconds(30);
        private long maxOutboundBytes = 64L << 20;
        private int maxRequestsInFlight = 10_000;
        private WireLimits wire = WireLimits.DEFAULT;
        private ServiceLimits serviceLimits = new ServiceLimits(1_024, 64L << 20, 1, 64L << 20);
        private TopicLimits topicLimits = TopicLimits.DEFAULT;
        private int ioThreads = 1;
        private Duration ioSpin = Config.DEFAULT_IO_SPIN;

        private Builder() {}

        public Builder address(InetSocketAddress value) {
            address = value;
            return this;
        }

        public Builder address(String host, int port) {
            return address(new InetSocketAddress(host, port));
        }

        public Builder handshakeTimeout(Duration value) {
            handshakeTimeout = value;
            return this;
        }

        public Builder tunnelConfirmTimeout(Duration value) {
            tunnelConfirmTimeout = value;
            return this;
        }

        public Builder maxOutboundBytes(long value) {
            maxOutboundBytes = value;
            return this;
        }

        public Builder tunnelSendTimeout(Duration value) {
            tunnelSendTimeout = value;
            return this;
        }

        public Builder maxRequestsInFlight(int value) {
            maxRequestsInFlight = value;
            return this;
        }

        public Builder wire(WireLimits value) {
            wire = value;
            return this;
        }

        public Builder serviceLimits(ServiceLimits value) {
            serviceLimits = value;
            return this;
        }

        public Builder topicLimits(TopicLimits value) {
            topicLimits = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public Builder ioSpin(Duration value) {
            ioSpin = value;
            return this;
        }

        public RelayConfig build() {
            return new RelayConfig(address, handshakeTimeout, tunnelConfirmTimeout,
                    tunnelSendTimeout, maxOutboundBytes, maxRequestsInFlight, wire, serviceLimits, topicLimits, ioThreads, ioSpin);
        }
    }
}
