package io.iridium.runtime;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.MembershipListener;
import io.iridium.NodeId;
import io.iridium.discovery.Discovery;
import io.iridium.discovery.DiscoveryConfig;
import io.iridium.discovery.DnsSeedResolver;
import io.iridium.discovery.LoopbackRange;
import io.iridium.discovery.MulticastBeacons;
import io.iridium.IridiumException;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.ServiceLimits;
import io.iridium.Subscription;
import io.iridium.TopicHandler;
import io.iridium.TopicLimits;
import io.iridium.TopicReader;
import io.iridium.Tunnel;
import io.iridium.membership.Swim;
import io.iridium.messaging.FrameSender;
import io.iridium.messaging.Messenger;
import io.iridium.messaging.RouteTable;
import io.iridium.messaging.Target;
import io.iridium.routing.Registry;
import io.iridium.routing.RegistryConfig;
import io.iridium.routing.Routes;
import io.iridium.membership.SwimConfig;
import io.iridium.security.DatagramSealer;
import io.iridium.security.NetworkKey;
import io.iridium.security.TlsContexts;
import io.iridium.transport.InboundListener;
import io.iridium.transport.NettyTransports;
import io.iridium.transport.PeerConnections;
import io.iridium.transport.SendResult;
import io.iridium.transport.TransportConfig;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link NodeRuntime}.
 *
 * <p>Threads: the <em>protocol loop</em>, a Netty event loop of its own, owns the membership
 * socket, {@link Swim} and {@link Discovery}, and runs their ticks, so the cores need no locks.
 * Data-plane connections run on a separate group of two loops: a flood of messages never delays
 * a probe's answer behind it, which on a busy machine would make healthy members look dead.
 * Only the data-plane loops poll briefly before they sleep ({@link Config#ioSpin()}); the
 * protocol loop's traffic is a few datagrams a second, for which polling never pays.
 * Public methods called from other threads hop onto the protocol loop.
 *
 * <p>Lifecycle: bind (datagram socket and TCP listener on one port), start ticking, seed
 * discovery; {@link #close()} announces LEFT, keeps ticking for {@link #LEAVE_GRACE} so the news
 * spreads, then closes sockets and loops; {@link #crash()} skips the announcement.
 */
final class RunningNode extends NodeRuntime {
    private static final Logger log = LoggerFactory.getLogger(RunningNode.class);
    /** How long a leaving node keeps gossiping its departure. */
    static final Duration LEAVE_GRACE = Duration.ofMillis(1_000);
    /** How often candidate sources that expire (loopback range) are re-offered to discovery. */
    private static final long LOOPBACK_REFRESH_MILLIS = 2_000;
    private static final java.util.concurrent.Executor VIRTUAL = command -> Thread.ofVirtual().start(command);

    private final Config config;
    private final NodeId id;
    private final String name;
    private final MeterRegistry meters;
    /** The data plane's event loops. */
    private final EventLoopGroup group;
    /** The one loop of the protocol group (membership, registry, discovery). */
    private final EventLoopGroup protocolGroup;
    private final EventLoop protocolLoop;
    private final NettyTransports transport;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final List<InboundListener> frameListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Endpoint address;
    private Channel datagramChannel;
    private PeerConnections connections;
    private Swim swim;
    private Registry routing;
    private Messenger messenger;
    private volatile RegistryRouteTable routeTable;
    private long publishedRoutesVersion = -1;
    private Discovery discovery;
    private DnsSeedResolver dns;
    private MulticastBeacons multicast;
    private ScheduledFuture<?> ticker;
    private long lastLoopbackOffer;
    /** The view at shutdown, served once the protocol loop is gone. */
    private volatile List<Member> finalMembers;
    /**
     * The members by identity, rebuilt on the protocol loop whenever one joins, is suspected,
     * recovers, fails or leaves: {@link #servers} reads it without a hop onto that loop (Raft
     * groups and replicas call it on every send). An incarnation bumped without a change of state
     * shows here only at the next membership event.
     */
    private volatile Map<NodeId, Member> memberIndex = Map.of();
    private final WallClockEnvironment environment = new WallClockEnvironment();

    private RunningNode(Config config) {
        this.config = config;
        this.id = NodeId.random(new SecureRandom());
        this.name = config.name().orElseGet(Addresses::defaultName);
        this.meters = config.meterRegistry().orElseGet(SimpleMeterRegistry::new);
        this.transport = NettyTransports.best();
        this.group = transport.newGroup(2, new DefaultThreadFactory("iridium-" + name, true), config.ioSpin());
        this.protocolGroup = transport.newGroup(1, new DefaultThreadFactory("iridium-" + name + "-protocol", true));
        this.protocolLoop = protocolGroup.next();
    }

    static RunningNode boot(Config config) {
        RunningNode node = new RunningNode(config);
        try {
            node.launch();
            return node;
        } catch (RuntimeException | Error e) {
            node.shutdown(false);
            throw e;
        }
    }

    private void launch() {
        if (config.dev() && config.bind().isPresent() && !Addresses.isLoopback(config.bind().get().host())) {
            throw new IllegalArgumentException("dev mode binds to loopback only, not " + config.bind().get());
        }
        NetworkKey key = config.dev() ? NetworkKey.development() : readKey(config);
        DatagramSealer sealer = new DatagramSealer(key, System::currentTimeMillis, DatagramSealer.DEFAULT_MAX_AGE, new SecureRandom());
        ProtocolDatagrams datagrams = new ProtocolDatagrams(sealer, meters);
        messenger = new Messenger(id, new DataPlane(), this::routeTable, this::advertiseLocalInterest, meters, config.maxFrameBytes());

        InetSocketAddress bound = bindPort(datagrams, key);
        address = config.advertise().orElseGet(() -> Addresses.advertisedFor(bound));
        connections.advertise(address);
        Member self = new Member(id, name, address, 0, MemberState.ALIVE);
        List<Endpoint> seeds = Addresses.resolved(config.seeds());
        SwimConfig swimConfig = SwimConfig.lan();
        call(() -> {
            routing = new Registry(RegistryConfig.defaults(), id, address, environment, datagrams::sendRegistry);
            swim = new Swim(swimConfig, self, environment, datagrams::sendSwim, this::onMembershipEvent);
            refreshMemberIndex();
            datagrams.attach(swim, routing, datagramChannel, this::publishRoutes);
            publishRoutes();
            discovery = new Discovery(DiscoveryConfig.defaults(), environment, address, new io.iridium.discovery.SwimJoiner(swim));
            discovery.addCandidates(Discovery.Source.SEED, seeds);
            offerLoopbackCandidates(environment.nowMillis());
            return null;
        });
        registerGauges();
        ticker = protocolLoop.scheduleAtFixedRate(this::tick, swimConfig.tickMillis(), swimConfig.tickMillis(), TimeUnit.MILLISECONDS);
        messenger.attach(this);
        startDns();
        startMulticast(key);
        log.info("node {} ({}) listening on {} [{}, {}, {}]", name, id, address,
                config.dev() ? "dev key" : "network " + key.networkName(),
                transport == NettyTransports.EPOLL ? "epoll" : "nio",
                config.plaintext() ? "plaintext" : "TLS on " + (TlsContexts.provider() == SslProvider.OPENSSL ? "BoringSSL" : "the JDK"));
    }

    private void tick() {
        guarded("SWIM", swim::tick);
        guarded("the routing registry", routing::tick);
        guarded("discovery", () -> {
            if (config.dev() && environment.nowMillis() - lastLoopbackOffer >= LOOPBACK_REFRESH_MILLIS) {
                offerLoopbackCandidates(environment.nowMillis());
            }
            discovery.tick();
        });
        guarded("route publishing", this::publishRoutes);
    }

    /** Runs one core's step so that a failure in it never stops the others from ticking. */
    private static void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("{} failed in its tick; the node keeps running", what, e);
        }
    }

    private void offerLoopbackCandidates(long now) {
        if (config.dev() && LoopbackRange.contains(address)) {
            lastLoopbackOffer = now;
            discovery.addCandidates(Discovery.Source.LOOPBACK, LoopbackRange.candidates(address));
        }
    }

    // ---- binding -----------------------------------------------------------------------------

    /**
     * Binds the membership datagram socket and the TLS listener to one port: in dev mode the
     * first free port of {@link LoopbackRange} (unless a port was given), otherwise the
     * configured or default port. Port 0 asks the system for a free one.
     */
    private InetSocketAddress bindPort(ProtocolDatagrams datagrams, NetworkKey key) {
        TransportConfig transportConfig = TransportConfig.defaults(config.maxFrameBytes(), config.idleTimeout());
        connections = new PeerConnections(
                new PeerConnections.LocalIdentity(id, name, new Endpoint("0.0.0.0", 0)),
                transportConfig, group, transport, config.plaintext() ? null : TlsContexts.server(key), config.plaintext() ? null : TlsContexts.client(key),
                new InboundListener() {
                    @Override
                    public void onMessage(NodeId from, WireMessage message) {
                        onInboundFrame(from, message);
                    }

                    @Override
                    public void onDisconnected(NodeId peer) {
                        messenger.onDisconnected(peer);
                    }

                    @Override
                    public void onReadComplete() {
                        messenger.onReadComplete();
                    }

                    @Override
                    public boolean readsEventsInPlace() {
                        return messenger.readsEventsInPlace();
                    }
                },
                meters);
        List<Integer> ports = new ArrayList<>();
        String host;
        if (config.dev() && (config.bind().isEmpty() || config.bind().get().port() == 0)) {
            host = config.bind().map(Endpoint::host).orElse(LoopbackRange.HOST);
            for (int port = LoopbackRange.FIRST_PORT; port <= LoopbackRange.LAST_PORT; port++) {
                ports.add(port);
            }
        } else {
            Endpoint bind = config.bind().orElse(new Endpoint(config.dev() ? LoopbackRange.HOST : "0.0.0.0", io.iridium.Config.DEFAULT_PORT));
            host = bind.host();
            ports.add(bind.port());
            if (bind.port() == 0) {
                ports.add(0);
                ports.add(0); // the system may hand out a UDP port whose TCP twin is taken: retry
            }
        }
        Exception last = null;
        for (int port : ports) {
            try {
                return bindBoth(host, port, datagrams);
            } catch (Exception e) {
                last = e;
            }
        }
        String tried = ports.size() > 1 && ports.get(0) != 0
                ? "every dev port " + LoopbackRange.FIRST_PORT + ".." + LoopbackRange.LAST_PORT + " on " + host + " is taken"
                : "cannot bind " + host + ":" + ports.get(0);
        throw new UncheckedIOException(new IOException(tried + ": " + (last == null ? "" : last.getMessage()), last));
    }

    private InetSocketAddress bindBoth(String host, int port, ProtocolDatagrams datagrams) throws Exception {
        Channel udp = new Bootstrap()
                .group(protocolLoop)
                .channel(transport.datagramChannel())
                .option(ChannelOption.ALLOCATOR, NettyTransports.allocator())
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                // Netty reads datagrams into 2 KiB buffers by default; push-pull and registry
                // datagrams reach 60 KB, and a truncated one would fail authentication
                .option(ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(65_536))
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .handler(datagrams)
                .bind(host, port).sync().channel();
        InetSocketAddress udpAddress = (InetSocketAddress) udp.localAddress();
        try {
            connections.listen(new InetSocketAddress(udpAddress.getAddress(), udpAddress.getPort()));
        } catch (Exception e) {
            udp.close().sync();
            throw e;
        }
        datagramChannel = udp;
        return udpAddress;
    }

    private static NetworkKey readKey(Config config) {
        try {
            return NetworkKey.read(config.keyFile().orElseThrow());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the network key: " + e.getMessage(), e);
        }
    }

    // ---- discovery sources ---------------------------------------------------------------------

    private void startDns() {
        config.dnsName().ifPresent(dnsName -> {
            dns = DnsSeedResolver.builder(dnsName, group, endpoints ->
                    protocolLoop.execute(() -> discovery.addCandidates(Discovery.Source.DNS, endpoints))).build();
            dns.start();
        });
    }

    private void startMulticast(NetworkKey key) {
        if (!config.multicast() || config.dev()) {
            return;
        }
        DatagramSealer beaconSealer = new DatagramSealer(key, DatagramSealer.BEACON, System::currentTimeMillis,
                DatagramSealer.DEFAULT_MAX_AGE, new SecureRandom());
        multicast = MulticastBeacons.builder(new SynchronizedSeal(beaconSealer), call(discovery::beacon),
                beacon -> protocolLoop.execute(() -> discovery.onBeacon(beacon))).build();
        try {
            multicast.start();
        } catch (IOException e) {
            log.warn("LAN multicast discovery is off: {}", e.getMessage());
        }
    }

    // ---- membership events ---------------------------------------------------------------------

    /** Rebuilds {@link #memberIndex} from SWIM's view; on the protocol loop only. */
    private void refreshMemberIndex() {
        Map<NodeId, Member> index = new HashMap<>();
        for (Member member : swim.members()) {
            index.put(member.id(), member);
        }
        memberIndex = Map.copyOf(index);
    }

    private void onMembershipEvent(MembershipEvent event) {
        refreshMemberIndex();
        meters.counter("iridium.membership.events", "type", event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)).increment();
        Member member = event.member();
        switch (event) {
            case MembershipEvent.Joined joined -> {
                log.info("{} joined at {}", label(member), member.address());
                routing.memberUp(member.id(), member.address());
            }
            case MembershipEvent.Suspected suspected -> log.info("{} is suspected", label(member));
            case MembershipEvent.Alive alive -> {
                log.info("{} refuted suspicion", label(member));
                routing.memberUp(member.id(), member.address());
            }
            case MembershipEvent.Failed failed -> {
                log.info("{} failed", label(member));
                memberGone(member);
            }
            case MembershipEvent.Left left -> {
                log.info("{} left", label(member));
                memberGone(member);
            }
        }
        for (MembershipListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("membership listener threw; ignored", e);
            }
        }
    }

    private void memberGone(Member member) {
        routing.memberDown(member.id());
        publishRoutes();
        messenger.memberFailed(member.id());
        connections.forget(member.id());
    }

    // ---- routing -------------------------------------------------------------------------------

    /** Publishes a new routing snapshot to the messaging threads if the registry changed. Protocol loop only. */
    private void publishRoutes() {
        if (routing == null) {
            return;
        }
        long version = routing.routesVersion();
        if (version != publishedRoutesVersion) {
            publishedRoutesVersion = version;
            routeTable = new RegistryRouteTable(routing.routes());
        }
    }

    private RouteTable routeTable() {
        RegistryRouteTable table = routeTable;
        return table == null ? RouteTable.EMPTY : table;
    }

    /** Re-advertises this node's services and subscriptions after a local change. */
    private void advertiseLocalInterest() {
        if (stopped.get()) {
            return;
        }
        Runnable publish = () -> {
            routing.publishLocal(messenger.localServices(), messenger.localPatterns());
            publishRoutes();
        };
        if (protocolLoop.inEventLoop()) {
            publish.run();
        } else {
            // wait, so that a request right after register() already routes here
            call(() -> {
                publish.run();
                return null;
            });
        }
    }

    @Override
    public Routes routes() {
        return routeTable instanceof RegistryRouteTable table ? table.routes() : call(routing::routes);
    }

    @Override
    public boolean isRoutingSynced() {
        return call(routing::isSynced);
    }

    /** The data plane as the messaging layer sees it. */
    private final class DataPlane implements FrameSender {
        @Override
        public SendResult send(Target to, WireMessage message) {
            return connections.send(to.id(), to.address(), message);
        }

        @Override
        public SendResult reply(NodeId to, WireMessage message) {
            return connections.sendToKnown(to, message);
        }

        @Override
        public void pin(NodeId peer) {
            connections.pin(peer);
        }

        @Override
        public void unpin(NodeId peer) {
            connections.unpin(peer);
        }

        @Override
        public boolean isConnected(NodeId node) {
            return connections.isConnected(node);
        }
    }

    private static String label(Member member) {
        return member.name() + " (" + member.id() + ")";
    }

    private void registerGauges() {
        for (MemberState state : MemberState.values()) {
            Gauge.builder("iridium.members", this, node -> node.countIn(state))
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Members this node knows of, by state")
                    .register(meters);
        }
        Gauge.builder("iridium.membership.local.health", this, node -> node.stopped.get() ? 0 : node.call(node.swim::localHealth))
                .description("Lifeguard local-health multiplier: above 0 when this node itself seems slow")
                .register(meters);
    }

    private double countIn(MemberState state) {
        if (stopped.get()) {
            return 0;
        }
        return members().stream().filter(m -> m.state() == state).count();
    }

    // ---- Node ----------------------------------------------------------------------------------

    @Override
    public Member self() {
        List<Member> last = finalMembers;
        if (last != null) {
            return last.stream().filter(m -> m.id().equals(id)).findFirst()
                    .orElseGet(() -> new Member(id, name, address, 0, MemberState.LEFT));
        }
        return call(swim::self);
    }

    @Override
    public Endpoint address() {
        return address;
    }

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public List<Member> members() {
        List<Member> last = finalMembers;
        return last != null ? last : call(swim::members);
    }

    @Override
    public AutoCloseable onMembershipChange(MembershipListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public AutoCloseable onFrame(InboundListener listener) {
        frameListeners.add(listener);
        return () -> frameListeners.remove(listener);
    }

    private void onInboundFrame(NodeId from, WireMessage message) {
        if (!(message instanceof WireMessage.Payload)) {
            messenger.onInboundFrame(from, message);
            return;
        }
        for (InboundListener listener : frameListeners) {
            try {
                listener.onMessage(from, message);
            } catch (RuntimeException e) {
                log.warn("frame listener threw; ignored", e);
            }
        }
    }

    @Override
    public MeterRegistry metrics() {
        return meters;
    }

    @Override
    public PeerConnections connections() {
        return connections;
    }

    @Override
    public SendResult send(NodeId member, WireMessage message) {
        Optional<Member> target = members().stream()
                .filter(m -> m.id().equals(member) && m.state().isLive() && !m.id().equals(id))
                .findFirst();
        return target.map(m -> connections.send(m.id(), m.address(), message)).orElse(SendResult.CLOSED);
    }

    // ---- messaging -----------------------------------------------------------------------------

    @Override
    public Service register(String cluster, ServiceHandler handler, ServiceLimits limits) {
        return messenger.register(cluster, handler, limits);
    }

    @Override
    public byte[] request(String cluster, byte[] request, Duration timeout) {
        try {
            return messenger.request(cluster, request, timeout).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IridiumException failure) {
                throw failure;
            }
            throw e;
        }
    }

    @Override
    public java.util.concurrent.CompletableFuture<byte[]> requestAsync(String cluster, byte[] request, Duration timeout) {
        // dependent stages must not run on Iridium's I/O threads: hand completion to a virtual thread
        return messenger.request(cluster, request, timeout).whenCompleteAsync((reply, failure) -> { }, VIRTUAL);
    }

    @Override
    public java.util.concurrent.CompletableFuture<byte[]> requestAsync(String cluster, byte[] request, Duration timeout,
                                                                       java.util.concurrent.Executor executor) {
        java.util.Objects.requireNonNull(executor, "executor");
        return messenger.request(cluster, request, timeout).whenCompleteAsync((reply, failure) -> { }, executor);
    }

    @Override
    public java.util.concurrent.CompletableFuture<byte[]> requestAsync(String cluster, NodeId member, byte[] request,
                                                                       Duration timeout) {
        java.util.Objects.requireNonNull(member, "member");
        return messenger.request(cluster, member, request, timeout).whenCompleteAsync((reply, failure) -> { }, VIRTUAL);
    }

    @Override
    public List<Member> servers(String cluster) {
        List<Target> targets = messenger.servers(cluster);
        if (targets.isEmpty()) {
            return List.of();
        }
        Map<NodeId, Member> known = memberIndex;
        List<Member> servers = new ArrayList<>(targets.size());
        for (Target target : targets) {
            Member member = known.get(target.id());
            if (member != null && member.state().isLive()) {
                servers.add(member);
            }
        }
        return List.copyOf(servers);
    }

    @Override
    public void broadcast(String cluster, byte[] message) {
        messenger.broadcast(cluster, message);
    }

    @Override
    public Subscription subscribe(String pattern, TopicHandler handler, TopicLimits limits) {
        return messenger.subscribe(pattern, handler, limits);
    }

    @Override
    public Subscription subscribeInPlace(String pattern, TopicReader reader, TopicLimits limits) {
        return messenger.subscribeInPlace(pattern, reader, limits);
    }

    @Override
    public void publish(String topic, byte[] event) {
        messenger.publish(topic, event);
    }

    @Override
    public Tunnel tunnel(String cluster, Duration timeout) {
        return messenger.tunnel(cluster, timeout);
    }

    @Override
    public void close() {
        shutdown(true);
    }

    @Override
    public void crash() {
        shutdown(false);
    }

    private void shutdown(boolean graceful) {
        if (onOwnThread()) {
            // called from a listener on one of our loops: waiting here would wait on ourselves
            Thread.ofPlatform().name("iridium-shutdown-" + name).start(() -> shutdown(graceful));
            return;
        }
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (graceful && swim != null && !protocolLoop.isShuttingDown()) {
            try {
                protocolLoop.submit(swim::leave).get(1, TimeUnit.SECONDS);
                Thread.sleep(LEAVE_GRACE.toMillis()); // the ticker keeps gossiping LEFT meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("could not announce departure: {}", e.toString());
            }
        }
        if (swim != null) {
            try {
                finalMembers = protocolLoop.submit(swim::members).get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                log.debug("no final membership view: {}", e.toString());
            }
        }
        if (finalMembers == null) {
            finalMembers = List.of();
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (multicast != null) {
            multicast.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (messenger != null) {
            messenger.close();
        }
        if (connections != null) {
            connections.close();
        }
        if (datagramChannel != null) {
            datagramChannel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        protocolGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        log.info("node {} ({}) {}", name, id, graceful ? "left" : "stopped abruptly");
    }

    private boolean onOwnThread() {
        if (protocolLoop.inEventLoop()) {
            return true;
        }
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code task} on the protocol loop (directly if already there) and returns its result. */
    private <T> T call(Callable<T> task) {
        try {
            if (protocolLoop.inEventLoop()) {
                return task.call();
            }
            return protocolLoop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the protocol loop", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the protocol loop did not answer within 5 s", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
