package io.iridium;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a node: an immutable record, built with {@link #builder()} and validated once.
 *
 * <p>Each option, with its default:
 * <ul>
 *   <li>{@code dev} ({@code false}): use the well-known development key and bind to loopback
 *       only; nodes on one machine then find each other with no other setting.
 *   <li>{@code keyFile} (none): the network key written by {@code iridium keygen}; required
 *       unless {@code dev}.
 *   <li>{@code bind} ({@code 0.0.0.0:7946}; in dev mode {@code 127.0.0.1} on the first free port
 *       of the dev range): where to listen for datagrams and connections.
 *   <li>{@code advertise} (derived from {@code bind}): the address other nodes should use.
 *   <li>{@code seeds} (none): nodes to join through.
 *   <li>{@code dnsName} (none): a DNS name whose A or SRV records list nodes to join through.
 *   <li>{@code multicast} ({@code true}; {@code false} in dev mode): find nodes on the LAN.
 *   <li>{@code name} (host name and process id): a human-readable node name.
 *   <li>{@code maxFrameBytes} (16 MiB): the largest data-plane frame accepted.
 *   <li>{@code idleTimeout} (5 minutes): data-plane connections with no traffic close after this.
 *   <li>{@code ioSpin} (50 µs): how long a data-plane I/O thread that runs out of work keeps
 *       polling for more, yielding to other threads between polls, before it sleeps. In a
 *       conversation (request and reply, a lock, a consensus round) the answer then finds it
 *       awake, which saves a kernel wake-up on each side of every exchange: on a two-core virtual
 *       machine, 1.7× the requests per second and a third of the round-trip time. A thread
 *       whose polls found nothing eight waits in a row stops polling (and tries again every 32
 *       sleeps), so an idle node does not poll. Zero turns polling off, for machines where
 *       every idle cycle is billed or shared: a steady conversation keeps the polling threads'
 *       cores busy, though at no more CPU time per message.
 *   <li>{@code meterRegistry} (a private simple registry): where the node's meters go.
 *   <li>{@code plaintext} ({@code false}): data-plane connections without TLS. Allowed only in
 *       dev mode, where every node is on loopback; it exists so that benchmarks can show what
 *       encryption costs. Membership datagrams stay sealed either way.
 * </ul>
 */
public record Config(
        boolean dev,
        Optional<Path> keyFile,
        Optional<Endpoint> bind,
        Optional<Endpoint> advertise,
        List<Endpoint> seeds,
        Optional<String> dnsName,
        boolean multicast,
        Optional<String> name,
        int maxFrameBytes,
        Duration idleTimeout,
        Duration ioSpin,
        Optional<MeterRegistry> meterRegistry,
        boolean plaintext) {

    /** The default port for datagrams and connections outside dev mode. */
    public static final int DEFAULT_PORT = 7946;
    /** The default largest data-plane frame. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** The default longest poll of an idle data-plane I/O thread before it sleeps. */
    public static final Duration DEFAULT_IO_SPIN = Duration.ofNanos(50_000);
    /** The longest {@code ioSpin} allowed: past it, polling would be a busy loop by another name. */
    public static final Duration MAX_IO_SPIN = Duration.ofMillis(10);

    public Config {
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertise, "advertise");
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(dnsName, "dnsName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        requireValidIoSpin(ioSpin);
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        if (!dev && keyFile.isEmpty()) {
            throw new IllegalArgumentException(
                    "a node needs a network key: give a key file (iridium keygen writes one) or use dev mode");
        }
        if (dev && keyFile.isPresent()) {
            throw new IllegalArgumentException("dev mode uses the development key; do not also give a key file");
        }
        if (plaintext && !dev) {
            throw new IllegalArgumentException("plaintext connections are allowed only in dev mode (loopback)");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024, got " + maxFrameBytes);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
    }

    /**
     * Checks an I/O polling budget: this record's {@code ioSpin}, or another component's that
     * takes the same budget (the Iris relay's).
     *
     * @return {@code ioSpin}
     * @throws IllegalArgumentException unless it is between zero and {@link #MAX_IO_SPIN}
     */
    public static Duration requireValidIoSpin(Duration ioSpin) {
        Objects.requireNonNull(ioSpin, "ioSpin");
        if (ioSpin.isNegative() || ioSpin.compareTo(MAX_IO_SPIN) > 0) {
            throw new IllegalArgumentException("ioSpin must be between 0 and " + MAX_IO_SPIN.toMillis() + " ms, got " + ioSpin);
        }
        return ioSpin;
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Config}; not thread-safe. */
    public static final class Builder {
        private boolean dev;
        private Path keyFile;
        private Endpoint bind;
        private Endpoint advertise;
        private List<Endpoint> seeds = List.of();
        private String dnsName;
        private Boolean multicast;
        private String name;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration ioSpin = DEFAULT_IO_SPIN;
        private MeterRegistry meterRegistry;
        private boolean plaintext;

        private Builder() {}

        /**
         * Data-plane connections without TLS: dev mode only (loopback), for measuring what
         * encryption costs. Not for anything that carries real data.
         */
        public Builder plaintext(boolean plaintext) {
            this.plaintext = plaintext;
            return this;
        }

        /** Use the development key and loopback only. */
        public Builder dev(boolean dev) {
            this.dev = dev;
            return this;
        }

        /** The network key file written by {@code iridium keygen}. */
        public Builder keyFile(Path keyFile) {
            this.keyFile = keyFile;
            return this;
        }

        /** Where to listen; port 0 picks a free port. */
        public Builder bind(Endpoint bind) {
            this.bind = bind;
            return this;
        }

        /** The address other nodes should use to reach this one. */
        public Builder advertise(Endpoint advertise) {
            this.advertise = advertise;
            return this;
        }

        /** Nodes to join through. */
        public Builder seeds(List<Endpoint> seeds) {
            this.seeds = List.copyOf(seeds);
            return this;
        }

        /** A DNS name whose A or SRV records list nodes to join through. */
        public Builder dnsName(String dnsName) {
            this.dnsName = dnsName;
            return this;
        }

        /** Whether to find nodes by LAN multicast. */
        public Builder multicast(boolean multicast) {
            this.multicast = multicast;
            return this;
        }

        /** A human-readable name for this node. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The largest data-plane frame accepted. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** How long an unused data-plane connection stays open. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * How long an idle data-plane I/O thread polls before it sleeps; {@link Duration#ZERO}
         * for never. See the class comment.
         */
        public Builder ioSpin(Duration ioSpin) {
            this.ioSpin = ioSpin;
            return this;
        }

        /** Where the node's meters go. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first bad option
         */
        public Config build() {
            return new Config(
                    dev,
                    Optional.ofNullable(keyFile),
                    Optional.ofNullable(bind),
                    Optional.ofNullable(advertise),
                    seeds,
                    Optional.ofNullable(dnsName).filter(s -> !s.isBlank()),
                    multicast != null ? multicast : !dev,
                    Optional.ofNullable(name).filter(s -> !s.isBlank()),
                    maxFrameBytes,
                    idleTimeout,
                    ioSpin,
                    Optional.ofNullable(meterRegistry),
                    plaintext);
        }
    }
}
