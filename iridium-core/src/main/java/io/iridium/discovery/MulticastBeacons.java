package io.iridium.discovery;

import io.iridium.Endpoint;
import io.iridium.transport.RateLimitedLog;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this node on the LAN and hears others: the {@link Discovery.Source#MULTICAST}
 * source. It carries beacons and nothing else; what to do with one is {@link Discovery}'s call.
 *
 * <h2>Sending</h2>
 * Every {@code interval} (jittered uniformly within ±25 %, the first at once) the beacon is
 * encoded, sealed afresh for each interface (so no two datagrams are alike and none looks like a
 * replay) and sent to the group on every chosen interface, with the given TTL (default 1: never
 * beyond the local link) and multicast loop-back on, so nodes on one host hear each other.
 *
 * <h2>Receiving</h2>
 * <pre>
 *   datagram ──open (seal)──▶ payload ──decode──▶ beacon ──own instance?──▶ drop
 *       │ rejected                 │ malformed                 │ no
 *       ▼                          ▼                           ▼
 *    counted, logged ≤ 1/min    counted, logged ≤ 1/min     wildcard host → sender's address
 *                                                             ──▶ listener(beacon)
 * </pre>
 * Datagrams sealed under another network key, replays, stale ones and garbage are dropped,
 * counted and logged at most once a minute (with how many were held back): a flood costs a
 * counter increment each. A beacon whose host is a wildcard ({@code 0.0.0.0}, {@code ::})
 * is given the address it came from.
 *
 * <h2>Interfaces</h2>
 * By default every interface that is up, multicast-capable, not loopback, not point-to-point and
 * has an address of the group's family; or the ones given to the builder. With none, LAN
 * discovery is off: {@link #start()} logs a warning and {@link #isActive()} stays false.
 *
 * <p>Threading: one daemon thread receives (and calls the listener), one sends. The listener
 * must not block; the runtime hands beacons to the protocol loop, which calls
 * {@link Discovery#onBeacon}. Counters may be read from any thread.
 */
public final class MulticastBeacons implements AutoCloseable {

    /** The default group: an organisation-local (RFC 2365) address, and port. */
    public static final InetSocketAddress DEFAULT_GROUP =
            new InetSocketAddress(ipv4(239, 255, 77, 46), 7947);
    /** The default pause between two announcements, before jitter. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** The default multicast TTL: the local link only. */
    public static final int DEFAULT_TTL = 1;
    /** The largest datagram read; sealed beacons are far smaller. */
    static final int MAX_DATAGRAM_BYTES = 2_048;

    private static final Logger log = LoggerFactory.getLogger(MulticastBeacons.class);

    private final DatagramSeal seal;
    private final Beacon beacon;
    private final byte[] encodedBeacon;
    private final Consumer<Beacon> listener;
    private final InetSocketAddress group;
    private final List<NetworkInterface> requestedInterfaces;
    private final int ttl;
    private final long intervalMillis;
    private final RandomGenerator random;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong own = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final RateLimitedLog dropLog = new RateLimitedLog(log, TimeUnit.MINUTES.toMillis(1));
    private final RateLimitedLog sendLog = new RateLimitedLog(log, TimeUnit.MINUTES.toMillis(1));

    private volatile List<NetworkInterface> interfaces = List.of();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile DatagramChannel channel;
    private Thread receiver;
    private ScheduledExecutorService sender;

    private MulticastBeacons(Builder b) {
        this.seal = b.seal;
        this.beacon = b.beacon;
        this.encodedBeacon = BeaconCodec.encode(b.beacon);
        this.listener = b.listener;
        this.group = b.group;
        this.requestedInterfaces = b.interfaces;
        this.ttl = b.ttl;
        this.intervalMillis = b.interval.toMillis();
        this.random = b.random;
    }

    /**
     * Starts building.
     *
     * @param seal     seals outgoing and opens incoming datagrams (thread-safe)
     * @param beacon   what this node announces ({@link Discovery#beacon()})
     * @param listener receives every other node's beacon, on the receiving thread
     */
    public static Builder builder(DatagramSeal seal, Beacon beacon, Consumer<Beacon> listener) {
        return new Builder(seal, beacon, listener);
    }

    /**
     * Opens the socket, joins the group on the chosen interfaces and starts announcing and
     * listening. With no usable interface it logs a warning and does nothing.
     *
     * @throws IOException if the socket cannot be opened or bound (for example the port is taken
     *     by a socket without {@code SO_REUSEADDR})
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        ProtocolFamily family = family(group.getAddress());
        List<NetworkInterface> candidates =
                requestedInterfaces != null ? requestedInterfaces : multicastInterfaces(family);
        if (candidates.isEmpty()) {
            log.warn("no up, multicast-capable, non-loopback interface: LAN discovery by multicast is off");
            return;
        }
        DatagramChannel ch = DatagramChannel.open(family);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            bind(ch);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            List<NetworkInterface> joined = new ArrayList<>();
            for (NetworkInterface nif : candidates) {
                try {
                    ch.join(group.getAddress(), nif);
                    joined.add(nif);
                } catch (IOException | UnsupportedOperationException e) {
                    log.warn("cannot join multicast group {} on {}: {}", group, nif.getName(), e.toString());
                }
            }
            if (joined.isEmpty()) {
                ch.close();
                log.warn("joined multicast group {} on no interface: LAN discovery by multicast is off", group);
                return;
            }
            this.interfaces = List.copyOf(joined);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
        log.info("announcing on multicast group {} via {} every ~{} ms (ttl {})", group,
                interfaces.stream().map(NetworkInterface::getName).toList(), intervalMillis, ttl);
        receiver = Thread.ofPlatform().daemon().name("iridium-multicast-rx").start(this::receiveLoop);
        sender = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("iridium-multicast-tx").unstarted(r));
        sender.execute(this::announce);
    }

    /** Whether beacons are being sent and received (started, with at least one interface, not closed). */
    public boolean isActive() {
        return channel != null && !closed;
    }

    /** The interfaces joined (empty before {@link #start()} or when none was usable). */
    public List<NetworkInterface> interfaces() {
        return interfaces;
    }

    /** Datagrams sent (one per interface per announcement). */
    public long sent() {
        return sent.get();
    }

    /** Sends that failed (an interface went down, for example). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Other nodes' beacons handed to the listener. */
    public long delivered() {
        return delivered.get();
    }

    /** This node's own beacons heard back and dropped. */
    public long ownDropped() {
        return own.get();
    }

    /** Datagrams the seal rejected: another network's key, replays, stale ones, garbage. */
    public long rejected() {
        return rejected.get();
    }

    /** Datagrams that opened but held no valid beacon. */
    public long malformed() {
        return malformed.get();
    }

    /** Stops announcing and listening and closes the socket. Idempotent; waits briefly for the threads. */
    @Override
    public void close() {
        Thread rx;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (sender != null) {
                sender.shutdownNow();
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.debug("closing the multicast socket", e);
                }
            }
            rx = receiver;
        }
        if (rx != null && rx != Thread.currentThread()) {
            try {
                rx.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Handles one received datagram: open, decode, drop own, fix a wildcard host, deliver.
     * Never throws; package-private so tests can drive it without sockets.
     */
    void onDatagram(byte[] datagram, InetSocketAddress from) {
        Optional<byte[]> payload;
        try {
            payload = seal.open(datagram);
        } catch (RuntimeException e) {
            payload = Optional.empty();
        }
        if (payload == null || payload.isEmpty()) {
            rejected.incrementAndGet();
            logDrop("the seal rejected it (another network's key, a replay, stale, or garbage)", from);
            return;
        }
        Beacon received;
        try {
            received = BeaconCodec.decode(payload.get());
        } catch (MalformedBeaconException e) {
            malformed.incrementAndGet();
            logDrop(e.getMessage(), from);
            return;
        }
        if (received.instanceId() == beacon.instanceId()) {
            own.incrementAndGet();
            return;
        }
        received = withSenderIfWildcard(received, from);
        delivered.incrementAndGet();
        try {
            listener.accept(received);
        } catch (RuntimeException e) {
            log.error("beacon listener failed on {}", received, e);
        }
    }

    /** A beacon whose host is {@code 0.0.0.0} or {@code ::} means "where this came from". */
    static Beacon withSenderIfWildcard(Beacon beacon, InetSocketAddress from) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(beacon.endpoint().host());
        if (ip == null || from == null || from.getAddress() == null) {
            return beacon;
        }
        for (byte b : ip) {
            if (b != 0) {
                return beacon;
            }
        }
        return new Beacon(beacon.instanceId(), new Endpoint(from.getAddress().getHostAddress(), beacon.endpoint().port()));
    }

    /**
     * Every interface that is up, multicast-capable, not loopback, not point-to-point, and has an
     * address of {@code family}, by index.
     */
    static List<NetworkInterface> multicastInterfaces(ProtocolFamily family) {
        List<NetworkInterface> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (nif.isUp() && nif.supportsMulticast() && !nif.isLoopback() && !nif.isPointToPoint()
                        && !nif.isVirtual() && hasAddress(nif, family)) {
                    out.add(nif);
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces: {}", e.toString());
        }
        out.sort(Comparator.comparingInt(NetworkInterface::getIndex));
        return List.copyOf(out);
    }

    private static boolean hasAddress(NetworkInterface nif, ProtocolFamily family) {
        return nif.inetAddresses().anyMatch(a -> family == StandardProtocolFamily.INET
                ? a instanceof Inet4Address
                : a instanceof Inet6Address);
    }

    private static ProtocolFamily family(InetAddress address) {
        return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** Binds to the group address (Linux: hear only this group), else to the wildcard address. */
    private void bind(DatagramChannel ch) throws IOException {
        try {
            ch.bind(group);
        } catch (IOException e) {
            ch.bind(new InetSocketAddress(group.getPort()));
        }
    }

    private void announce() {
        if (closed) {
            return;
        }
        try {
            for (NetworkInterface nif : interfaces) {
                try {
                    ByteBuffer datagram = ByteBuffer.wrap(seal.seal(encodedBeacon));
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                        channel.send(datagram, group);
                    }
                    sent.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    sendFailures.incrementAndGet();
                    sendLog.warn("cannot send a beacon to {} via {}: {}", group, nif.getName(), e.toString());
                }
            }
        } finally {
            if (!closed) {
                long delay = intervalMillis * 3 / 4 + random.nextLong(intervalMillis / 2 + 1);
                try {
                    sender.schedule(this::announce, delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closed meanwhile
                }
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM_BYTES);
        while (!closed) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                dropLog.warn("multicast receive failed: {}", e.toString());
                continue;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            try {
                onDatagram(datagram, from instanceof InetSocketAddress isa ? isa : null);
            } catch (RuntimeException e) {
                // a bug, not bad input (that is counted and dropped inside): the receiver lives on
                log.error("handling a multicast datagram from {} failed", from, e);
            }
        }
    }

    private void logDrop(String why, InetSocketAddress from) {
        dropLog.warn("dropped a multicast datagram from {}: {}", from, why);
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Builds {@link MulticastBeacons}; not thread-safe. */
    public static final class Builder {
        private final DatagramSeal seal;
        private final Beacon beacon;
        private final Consumer<Beacon> listener;
        private InetSocketAddress group = DEFAULT_GROUP;
        private List<NetworkInterface> interfaces;
        private int ttl = DEFAULT_TTL;
        private Duration interval = DEFAULT_INTERVAL;
        private RandomGenerator random = RandomGenerator.getDefault();

        private Builder(DatagramSeal seal, Beacon beacon, Consumer<Beacon> listener) {
            this.seal = Objects.requireNonNull(seal, "seal");
            this.beacon = Objects.requireNonNull(beacon, "beacon");
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        /** The multicast group and port (default {@code 239.255.77.46:7947}). */
        public Builder group(InetSocketAddress group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** The interfaces to announce and listen on (default: all usable ones, see the class doc). */
        public Builder networkInterfaces(List<NetworkInterface> interfaces) {
            this.interfaces = List.copyOf(interfaces);
            return this;
        }

        /** The multicast TTL, 0 to 255 (default 1; 0 keeps datagrams on this host). */
        public Builder ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        /** The pause between announcements before ±25 % jitter (default 5 s). */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** The random source for jitter (default {@link RandomGenerator#getDefault()}); used by one thread. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Validates and builds; opens nothing until {@link MulticastBeacons#start()}.
         *
         * @throws IllegalArgumentException for a group that is not multicast, a bad TTL or interval
         */
        public MulticastBeacons build() {
            if (group.isUnresolved() || !group.getAddress().isMulticastAddress()) {
                throw new IllegalArgumentException("not a multicast group: " + group);
            }
            if (group.getPort() < 1) {
                throw new IllegalArgumentException("the multicast group needs a port: " + group);
            }
            if (ttl < 0 || ttl > 255) {
                throw new IllegalArgumentException("ttl out of range 0..255: " + ttl);
            }
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("interval must be at least 1 ms, got " + interval);
            }
            return new MulticastBeacons(this);
        }
    }
}
