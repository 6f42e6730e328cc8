package io.iridium.discovery;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one DNS name into candidate endpoints, again and again: the {@link Discovery.Source#DNS}
 * source (for example a Kubernetes headless service).
 *
 * <h2>What is looked up</h2>
 * <table>
 *   <caption>name forms</caption>
 *   <tr><th>name given</th><th>queries</th></tr>
 *   <tr><td>{@code _svc._udp.example} (starts with {@code _})</td>
 *       <td>SRV of the name; each target's A/AAAA, with the record's port</td></tr>
 *   <tr><td>{@code nodes.example}</td>
 *       <td>SRV of {@code _iridium._udp.nodes.example}; if that yields nothing, A/AAAA of the
 *       name with port {@value io.iridium.Config#DEFAULT_PORT}</td></tr>
 *   <tr><td>{@code nodes.example:7000}</td><td>A/AAAA of the name, with port 7000</td></tr>
 * </table>
 * SRV priority and weight are ignored: every node is as good a way into the network as any other.
 * A name that does not exist (NXDOMAIN), has no records, or whose servers time out yields an
 * empty round, logged (at WARN when the name stops resolving, DEBUG while it stays so) and
 * counted; it never throws. Nothing is cached between rounds, so each round sees the current
 * records.
 *
 * <h2>Lifecycle</h2>
 * <pre>
 *   build() ──start()──▶ round ──sink(endpoints)──▶ wait refreshInterval ──▶ round ──▶ …
 *                                                                   close() ends it
 * </pre>
 * Rounds never overlap: the next is scheduled when the previous completes.
 *
 * <p>Threading: lookups and the sink run on one event loop of the group given to the builder
 * (the group is not owned: closing this resolver does not shut it down). The sink must not block;
 * the runtime hands the endpoints to the protocol loop, which calls
 * {@link Discovery#addCandidates}. {@link #resolveOnce()} and {@link #close()} may be called
 * from any thread.
 */
public final class DnsSeedResolver implements AutoCloseable {

    /** The SRV prefix added to a plain name: {@code _iridium._udp.}. */
    public static final String SRV_PREFIX = "_iridium._udp.";
    /** How often the name is resolved again by default. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** How long one query waits for an answer by default. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(DnsSeedResolver.class);

    private final String name;
    private final String addressName;
    private final int addressPort;
    private final String srvName;
    private final boolean srvOnly;
    private final EventLoop loop;
    private final DnsNameResolver resolver;
    private final Consumer<List<Endpoint>> sink;
    private final long refreshMillis;

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong emptyRounds = new AtomicLong();
    private volatile Optional<String> lastProblem = Optional.empty();
    private volatile boolean lastRoundEmpty;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> nextRound;

    private DnsSeedResolver(Builder b) {
        this.name = b.name;
        // Parsed with default port 0 (which no real name can give) to tell whether a port was given.
        Endpoint parsed = Endpoint.parse(b.name, 0);
        boolean portGiven = parsed.port() != 0;
        String host = parsed.host();
        if (host.startsWith("_")) {
            if (portGiven) {
                throw new IllegalArgumentException(
                        "an SRV name carries its own ports; give it without one: " + b.name);
            }
            this.srvName = host;
            this.srvOnly = true;
        } else {
            this.srvName = portGiven ? null : SRV_PREFIX + host;
            this.srvOnly = false;
        }
        this.addressName = host;
        this.addressPort = portGiven ? parsed.port() : b.defaultPort;
        this.sink = b.sink;
        this.refreshMillis = b.refreshInterval.toMillis();
        this.loop = b.group.next();

        DnsServerAddressStreamProvider servers = b.nameServers == null
                ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(b.nameServers);
        DnsNameResolverBuilder rb = new DnsNameResolverBuilder(loop)
                .nameServerProvider(servers)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .queryTimeoutMillis(b.queryTimeout.toMillis())
                .recursionDesired(true)
                .datagramChannelType(b.datagramChannelType)
                // TCP when an answer comes back truncated (many SRV records).
                .socketChannelType(b.socketChannelType, false);
        if (b.nameServers != null) {
            // Explicit servers (tests, a cluster's own DNS): names are used exactly as given.
            rb.searchDomains(List.of());
        }
        this.resolver = rb.build();
    }

    /**
     * Starts building a resolver for {@code name}.
     *
     * @param name  {@code host}, {@code host:port} or an SRV name starting with {@code _}
     * @param group the event loops to resolve on (NIO or epoll); not owned
     * @param sink  receives each round's endpoints (possibly none), on the event loop
     */
    public static Builder builder(String name, EventLoopGroup group, Consumer<List<Endpoint>> sink) {
        return new Builder(name, group, sink);
    }

    /**
     * Starts periodic resolution: one round now, then one every refresh interval after the
     * previous round ends, each handed to the sink.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        if (closed || started) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        loop.execute(this::round);
    }

    /**
     * Resolves the name once, without involving the sink or the schedule.
     *
     * @return a future of the endpoints found, without duplicates, in answer order; it completes
     *     normally with an empty list when the name does not resolve (never exceptionally)
     */
    public CompletableFuture<List<Endpoint>> resolveOnce() {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<List<Endpoint>> viaSrv =
                srvName == null ? CompletableFuture.completedFuture(List.of()) : resolveSrv(srvName, problems);
        return viaSrv.thenCompose(found -> found.isEmpty() && !srvOnly
                        ? resolveAddresses(addressName, addressPort, problems)
                        : CompletableFuture.completedFuture(found))
                .handle((found, error) -> {
                    if (error != null) {
                        problems.add(String.valueOf(error));
                        found = List.of();
                    }
                    report(found, problems);
                    return found;
                });
    }

    /** The name as given. */
    public String name() {
        return name;
    }

    /** Rounds completed, by {@link #start()}'s schedule or {@link #resolveOnce()}. */
    public long rounds() {
        return rounds.get();
    }

    /** Rounds that found no endpoint. */
    public long emptyRounds() {
        return emptyRounds.get();
    }

    /** Why the latest round that found nothing found nothing (for example an NXDOMAIN), if one did. */
    public Optional<String> lastProblem() {
        return lastProblem;
    }

    /** Stops the schedule and closes the resolver's socket. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> next = nextRound;
        if (next != null) {
            next.cancel(false);
        }
        resolver.close();
    }

    private void round() {
        if (closed) {
            return;
        }
        resolveOnce().whenComplete((found, error) -> {
            if (closed) {
                return;
            }
            try {
                sink.accept(found == null ? List.of() : found);
            } catch (RuntimeException e) {
                log.error("DNS seed sink failed for {}", name, e);
            }
            if (!closed) {
                nextRound = loop.schedule(this::round, refreshMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    private void report(List<Endpoint> found, List<String> problems) {
        rounds.incrementAndGet();
        if (found.isEmpty()) {
            emptyRounds.incrementAndGet();
            String why = problems.isEmpty() ? "no records" : String.join("; ", problems);
            lastProblem = Optional.of(why);
            if (!lastRoundEmpty) {
                log.warn("DNS seed name {} resolved to no endpoints: {}", name, why);
            } else {
                log.debug("DNS seed name {} still resolves to no endpoints: {}", name, why);
            }
            lastRoundEmpty = true;
        } else {
            if (lastRoundEmpty) {
                log.info("DNS seed name {} resolves again: {} endpoints", name, found.size());
            } else {
                log.debug("DNS seed name {} resolved to {}", name, found);
            }
            lastRoundEmpty = false;
        }
    }

    /** SRV of {@code srv}, then A/AAAA of each target; targets that do not resolve are skipped. */
    private CompletableFuture<List<Endpoint>> resolveSrv(String srv, List<String> problems) {
        return completable(resolver.resolveAll(new DefaultDnsQuestion(srv, DnsRecordType.SRV)))
                .handle((records, error) -> {
                    if (error != null) {
                        problems.add("SRV " + srv + ": " + describe(error));
                        return List.<SrvTarget>of();
                    }
                    return parseSrv(records, problems);
                })
                .thenCompose(targets -> {
                    List<CompletableFuture<List<Endpoint>>> lookups = new ArrayList<>(targets.size());
                    for (SrvTarget t : targets) {
                        lookups.add(resolveAddresses(t.target(), t.port(), problems));
                    }
                    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                            .thenApply(done -> {
                                Set<Endpoint> all = new LinkedHashSet<>();
                                for (CompletableFuture<List<Endpoint>> lookup : lookups) {
                                    all.addAll(lookup.join());
                                }
                                return List.copyOf(all);
                            });
                });
    }

    /** A/AAAA of {@code host}, each address with {@code port}; empty on any failure. */
    private CompletableFuture<List<Endpoint>> resolveAddresses(String host, int port, List<String> problems) {
        return completable(resolver.resolveAll(host)).handle((addresses, error) -> {
            if (error != null) {
                problems.add("A/AAAA " + host + ": " + describe(error));
                return List.of();
            }
            Set<Endpoint> out = new LinkedHashSet<>();
            for (InetAddress address : addresses) {
                out.add(new Endpoint(address.getHostAddress(), port));
            }
            return List.copyOf(out);
        });
    }

    /** Reads each SRV record's port and target; releases every record. */
    private static List<SrvTarget> parseSrv(List<DnsRecord> records, List<String> problems) {
        List<SrvTarget> targets = new ArrayList<>(records.size());
        try {
            for (DnsRecord record : records) {
                if (record.type() != DnsRecordType.SRV || !(record instanceof DnsRawRecord raw)) {
                    continue;
                }
                // The content is a slice of the whole response, so compression pointers resolve.
                ByteBuf content = raw.content().duplicate();
                try {
                    content.skipBytes(4); // priority, weight
                    int port = content.readUnsignedShort();
                    String target = DefaultDnsRecordDecoder.decodeName(content);
                    if (port == 0 || target.isEmpty() || ".".equals(target)) {
                        continue; // "no such service here" or unusable
                    }
                    targets.add(new SrvTarget(target, port));
                } catch (RuntimeException e) {
                    problems.add("malformed SRV record " + record.name() + ": " + e.getMessage());
                }
            }
        } finally {
            for (DnsRecord record : records) {
                ReferenceCountUtil.release(record);
            }
        }
        return targets;
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof UnknownHostException)) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static <T> CompletableFuture<T> completable(Future<T> future) {
        CompletableFuture<T> out = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                T value = (T) f.getNow();
                out.complete(value);
            } else {
                out.completeExceptionally(f.cause());
            }
        });
        return out;
    }

    private record SrvTarget(String target, int port) {}

    /** Builds a {@link DnsSeedResolver}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final EventLoopGroup group;
        private final Consumer<List<Endpoint>> sink;
        private List<InetSocketAddress> nameServers;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private int defaultPort = Config.DEFAULT_PORT;
        private Class<? extends DatagramChannel> datagramChannelType;
        private Class<? extends SocketChannel> socketChannelType;

        private Builder(String name, EventLoopGroup group, Consumer<List<Endpoint>> sink) {
            this.name = Objects.requireNonNull(name, "name");
            this.group = Objects.requireNonNull(group, "group");
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /**
         * The DNS servers to ask, tried in order (default: the system's, from
         * {@code /etc/resolv.conf}, with its search domains). With explicit servers the name is
         * used exactly as given, without search domains.
         */
        public Builder nameServers(List<InetSocketAddress> nameServers) {
            if (nameServers.isEmpty()) {
                throw new IllegalArgumentException("give at least one name server, or none to use the system's");
            }
            this.nameServers = List.copyOf(nameServers);
            return this;
        }

        /** The pause between the end of one round and the start of the next (default 30 s). */
        public Builder refreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
            return this;
        }

        /** How long one query waits for an answer (default 5 s). */
        public Builder queryTimeout(Duration queryTimeout) {
            this.queryTimeout = queryTimeout;
            return this;
        }

        /** The port for A/AAAA records of a name given without one (default 7946). */
        public Builder defaultPort(int defaultPort) {
            this.defaultPort = defaultPort;
            return this;
        }

        /**
         * The channel classes to query with; they must suit the group's transport. By default
         * they are picked to match the group: NIO's for a NIO group, epoll's for an epoll group.
         */
        public Builder channelTypes(
                Class<? extends DatagramChannel> datagramChannelType, Class<? extends SocketChannel> socketChannelType) {
            this.datagramChannelType = Objects.requireNonNull(datagramChannelType, "datagramChannelType");
            this.socketChannelType = Objects.requireNonNull(socketChannelType, "socketChannelType");
            return this;
        }

        /**
         * Validates and builds; opens the resolver's socket.
         *
         * @throws IllegalArgumentException for a bad name, port or duration
         */
        public DnsSeedResolver build() {
            if (refreshInterval.toMillis() < 1) {
                throw new IllegalArgumentException("refreshInterval must be at least 1 ms, got " + refreshInterval);
            }
            if (queryTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("queryTimeout must be at least 1 ms, got " + queryTimeout);
            }
            if (defaultPort < 1 || defaultPort > 65_535) {
                throw new IllegalArgumentException("defaultPort out of range 1..65535: " + defaultPort);
            }
            if (datagramChannelType == null) {
                channelTypesFor(group);
            }
            return new DnsSeedResolver(this);
        }

        /**
         * NIO's channel classes for a NIO group, epoll's for an epoll group. Epoll's are looked up
         * by name, so this package needs the native transport only where it is used.
         */
        @SuppressWarnings("unchecked")
        private void channelTypesFor(EventLoopGroup group) {
            datagramChannelType = NioDatagramChannel.class;
            socketChannelType = NioSocketChannel.class;
            if (!(group instanceof IoEventLoopGroup io) || io.isIoType(NioIoHandler.class)) {
                return;
            }
            try {
                ClassLoader loader = DnsSeedResolver.class.getClassLoader();
                Class<?> epollHandler = Class.forName("io.netty.channel.epoll.EpollIoHandler", false, loader);
                if (io.isIoType(epollHandler.asSubclass(IoHandler.class))) {
                    datagramChannelType = (Class<? extends DatagramChannel>)
                            Class.forName("io.netty.channel.epoll.EpollDatagramChannel", false, loader);
                    socketChannelType = (Class<? extends SocketChannel>)
                            Class.forName("io.netty.channel.epoll.EpollSocketChannel", false, loader);
                    return;
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // no epoll on the class path: not an epoll group either
            }
            throw new IllegalArgumentException(
                    "cannot tell which channel classes suit this event loop group; give them with channelTypes()");
        }
    }
}
