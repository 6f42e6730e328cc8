package io.iridium.transport;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's connections: at most one authenticated TLS connection per pair of nodes,
 * opened on demand, closed when idle.
 *
 * <pre>
 *   send(peer, msg) ──▶ Peer ──(ready channel)──▶ write, flush once per batch
 *                        │
 *                        └─(none yet)──▶ bounded pending queue ──▶ connect (back-off on failure)
 *                                                                   │ TLS 1.3, pinned certificate
 *                                                                   │ Hello ⇄ Hello
 *                                                                   ▼
 *                                                            register(peer, channel) ──▶ drain queue
 * </pre>
 *
 * <p><b>One connection per pair.</b> When two nodes dial each other at once, the connection
 * dialled by the node with the smaller {@link NodeId} wins: that node refuses the other's Hello
 * while its own dial is in flight (or once it has a connection), and the refused dialler keeps
 * its messages queued until the winning connection reaches it. No message is written to a
 * connection that can still lose, so none is lost and per-pair order holds. A node also queues,
 * rather than dials, while it is admitting an inbound connection from that peer.
 *
 * <p><b>Back-pressure.</b> Each peer's queued bytes are bounded: while connecting, by the pending
 * queue's byte count; once connected, by the {@link ChannelWriter}'s queued bytes and Netty's
 * write-buffer high-water mark, each against the same bound (sizes estimated by
 * {@link WireSizeEstimator}). Past the bound {@link #send} returns {@link SendResult#BACK_PRESSURE}
 * instead of buffering without limit.
 *
 * <p><b>Batching.</b> Sends from any thread join the connection's {@link ChannelWriter}, whose
 * one drain task on the event loop writes the whole batch and flushes once, so a burst of sends
 * costs one hand-over between threads and leaves in as few TLS records and system calls as the
 * socket allows, without ever leaving a written frame unflushed.
 *
 * <p>Thread safety: {@link #send} may be called from any thread; per-peer state is guarded by the
 * peer's monitor, held only for constant-time work.
 */
public final class PeerConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerConnections.class);

    private volatile LocalIdentity identity;
    private final TransportConfig config;
    private final EventLoopGroup group;
    private final NettyTransports transport;
    private final SslContext serverTls;
    private final SslContext clientTls;
    private final InboundListener listener;
    private final Map<NodeId, Peer> peers = new ConcurrentHashMap<>();
    private final Map<NodeId, Integer> pins = new ConcurrentHashMap<>();
    /** Inbound connections accepted and not yet handshaken: bounded, so strangers cannot exhaust descriptors. */
    private final java.util.concurrent.atomic.AtomicInteger handshaking = new java.util.concurrent.atomic.AtomicInteger();
    /** The most inbound connections allowed in their handshake at once. */
    static final int MAX_CONCURRENT_HANDSHAKES = 256;
    private final TransportMetrics metrics;
    private volatile Channel serverChannel;
    private volatile boolean closed;

    /**
     * The transport of one node.
     *
     * @param identity  who this node is, as told to peers in the Hello
     * @param serverTls the TLS context for accepted connections (client authentication required),
     *                  or null for plaintext connections (dev mode only: see {@code Config.plaintext})
     * @param clientTls the TLS context for dialled connections, or null with {@code serverTls}
     */
    public PeerConnections(
            LocalIdentity identity,
            TransportConfig config,
            EventLoopGroup group,
            NettyTransports transport,
            SslContext serverTls,
            SslContext clientTls,
            InboundListener listener,
            MeterRegistry registry) {
        this.identity = identity;
        this.config = config;
        this.group = group;
        this.transport = transport;
        if ((serverTls == null) != (clientTls == null)) {
            throw new IllegalArgumentException("either both TLS contexts or neither (plaintext)");
        }
        this.serverTls = serverTls;
        this.clientTls = clientTls;
        this.listener = listener;
        this.metrics = new TransportMetrics(registry);
        Gauge.builder("iridium.connections.active", peers, PeerConnections::countReady)
                .description("Authenticated data-plane connections open now")
                .register(registry);
    }

    /**
     * Sets the address told to peers in the Hello, once the listener is bound (its port may have
     * been chosen by the system).
     */
    public void advertise(Endpoint advertised) {
        LocalIdentity current = identity;
        identity = new LocalIdentity(current.id(), current.name(), advertised);
    }

    /** Who this node is on the data plane. */
    public record LocalIdentity(NodeId id, String name, Endpoint advertised) {}

    /**
     * Listens for connections on {@code address} (blocking until bound).
     *
     * @return the address actually bound (its port is chosen when {@code address} asks for 0)
     * @throws io.netty.channel.ChannelException or another exception when the port is taken
     */
    public InetSocketAddress listen(InetSocketAddress address) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, NettyTransports.allocator())
                .childOption(ChannelOption.ALLOCATOR, NettyTransports.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, WireSizeEstimator.INSTANCE)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(new ConnectionInitializer(this, serverTls, false, null));
        Channel channel = bootstrap.bind(address).sync().channel();
        serverChannel = channel;
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Sends {@code message} to the node {@code peer} listening at {@code address}, opening a
     * connection first if there is none. Never blocks.
     */
    public SendResult send(NodeId peer, Endpoint address, WireMessage message) {
        if (closed) {
            return SendResult.CLOSED;
        }
        if (peer.equals(identity.id())) {
            throw new IllegalArgumentException("a node does not send to itself over the network");
        }
        Peer state = peers.get(peer);
        if (state == null) {
            // the lambda captures the address: allocated only for a peer not yet known
            state = peers.computeIfAbsent(peer, id -> new Peer(id, address));
        }
        synchronized (state) {
            state.address = address;
            return enqueue(state, message);
        }
    }

    /**
     * Sends {@code message} to a peer this node already knows — one that connected to it, say,
     * to answer its request — at the address it advertised.
     *
     * @return {@link SendResult#CLOSED} if the peer is unknown or forgotten
     */
    public SendResult sendToKnown(NodeId peer, WireMessage message) {
        Peer state = closed ? null : peers.get(peer);
        if (state == null) {
            return SendResult.CLOSED;
        }
        synchronized (state) {
            return state.forgotten ? SendResult.CLOSED : enqueue(state, message);
        }
    }

    /** Writes to the peer's connection or queues while it opens. Caller holds the peer's monitor. */
    private SendResult enqueue(Peer state, WireMessage message) {
        ChannelWriter writer = state.writer;
        int size = WireSizeEstimator.INSTANCE.size(message);
        if (writer != null) {
            if (!writer.channel().isWritable() || writer.queuedBytes() + size > config.maxQueuedBytesPerPeer()) {
                metrics.backPressure.increment();
                return SendResult.BACK_PRESSURE;
            }
            writer.write(message, size);
            return SendResult.QUEUED;
        }
        if (state.pendingBytes + size > config.maxQueuedBytesPerPeer()) {
            metrics.backPressure.increment();
            return SendResult.BACK_PRESSURE;
        }
        state.pending.add(message);
        state.pendingBytes += size;
        connectIfDue(state);
        return SendResult.QUEUED;
    }

    /**
     * Decides whether to admit an inbound connection from {@code peer} that has introduced itself:
     * no, if a connection of ours takes precedence (ours is dialled by the smaller identity, or we
     * hold a working one the newcomer would not replace). While admitted, sends queue for it.
     */
    boolean admitInbound(NodeId peer, Endpoint advertised) {
        if (closed) {
            return false;
        }
        boolean selfIsSmaller = identity.id().compareTo(peer) < 0;
        Peer state = peers.computeIfAbsent(peer, id -> new Peer(id, advertised));
        synchronized (state) {
            if (state.forgotten) {
                return false;
            }
            boolean haveConnection = state.channel != null && state.channel.isActive();
            if (selfIsSmaller && (state.dialing || haveConnection)) {
                return false;
            }
            state.accepting = true;
            return true;
        }
    }

    /**
     * Forgets a peer that failed or left: closes its connection and drops what was queued for it.
     * A later {@link #send} to the same identity starts afresh.
     */
    public void forget(NodeId peer) {
        Peer state = peers.remove(peer);
        if (state == null) {
            return;
        }
        synchronized (state) {
            state.forgotten = true;
            state.pending.clear();
            state.pendingBytes = 0;
            if (state.channel != null) {
                state.channel.close();
                state.clearChannel();
            }
        }
    }

    /**
     * Keeps the connection to {@code peer} open while idle (heartbeats instead of an idle close),
     * for as long as one pin is held: tunnels hold one each. Pins nest.
     */
    public void pin(NodeId peer) {
        pins.merge(peer, 1, Integer::sum);
    }

    /** Releases one {@link #pin}. */
    public void unpin(NodeId peer) {
        pins.computeIfPresent(peer, (id, count) -> count > 1 ? count - 1 : null);
    }

    boolean isPinned(NodeId peer) {
        return peer != null && pins.containsKey(peer);
    }

    /** Whether a handshaken connection to {@code peer} is open now. */
    public boolean isConnected(NodeId peer) {
        Peer state = peers.get(peer);
        if (state == null) {
            return false;
        }
        synchronized (state) {
            return state.channel != null;
        }
    }

    /** The peers with a handshaken connection open now. */
    public List<NodeId> connectedPeers() {
        return peers.values().stream().filter(p -> {
            synchronized (p) {
                return p.channel != null;
            }
        }).map(p -> p.id).sorted().toList();
    }

    /** Closes every connection and stops listening. Idempotent; does not shut the event loops down. */
    @Override
    public void close() {
        closed = true;
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (NodeId id : List.copyOf(peers.keySet())) {
            forget(id);
        }
    }

    // ---- called by ConnectionHandler -------------------------------------------------------

    /** Claims a handshake slot for a new inbound connection; false when all are taken. */
    boolean startHandshake() {
        if (handshaking.incrementAndGet() > MAX_CONCURRENT_HANDSHAKES) {
            handshaking.decrementAndGet();
            metrics.handshakesRefused.increment();
            return false;
        }
        return true;
    }

    /** Releases a slot claimed by {@link #startHandshake}. */
    void endHandshake() {
        handshaking.decrementAndGet();
    }

    LocalIdentity identity() {
        return identity;
    }

    TransportConfig config() {
        return config;
    }

    TransportMetrics metrics() {
        return metrics;
    }

    InboundListener listener() {
        return listener;
    }

    /**
     * Adopts a connection whose peer has introduced itself, or closes it if another connection
     * to that peer takes precedence.
     *
     * @return whether {@code channel} is now the peer's connection
     */
    boolean register(NodeId peer, Endpoint advertised, Channel channel, boolean initiatedLocally) {
        if (closed) {
            return false;
        }
        Peer state = peers.computeIfAbsent(peer, id -> new Peer(id, advertised));
        Channel loser;
        synchronized (state) {
            if (state.forgotten) {
                return false;
            }
            Channel current = state.channel;
            if (current != null && current != channel && current.isActive()
                    && !takesPrecedence(peer, initiatedLocally, state.channelInitiatedLocally)) {
                loser = channel;
                // the losing attempt is over: leave the peer dialable and admissible again
                if (initiatedLocally) {
                    state.dialing = false;
                } else {
                    state.accepting = false;
                }
            } else {
                loser = current == channel ? null : current;
                state.attach(channel, config.maxFrameBytes());
                state.channelInitiatedLocally = initiatedLocally;
                if (initiatedLocally) {
                    state.dialing = false;
                } else {
                    state.accepting = false;
                }
                state.backoffMillis = 0;
                drainPending(state, channel);
            }
        }
        if (loser != null) {
            metrics.duplicatesClosed.increment();
            loser.close();
            if (loser != channel) {
                // frames the peer wrote to the replaced connection may be lost: state that relied
                // on that connection's order (tunnels) must end, as on any disconnect
                listener.onDisconnected(peer);
            }
        }
        return loser != channel;
    }

    /**
     * Stops using {@code channel} for new sends to {@code peer}, ahead of an orderly close: sends
     * from now on queue and open a new connection. Frames already written still go out, and the
     * channel keeps reading until it closes.
     */
    void detach(NodeId peer, Channel channel) {
        Peer state = peer == null ? null : peers.get(peer);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (state.channel == channel) {
                state.clearChannel();
            }
        }
    }

    /** A connection closed: if it was the peer's, the peer has none until the next send or dial. */
    void unregister(NodeId peer, Channel channel, boolean initiatedLocally, boolean everReady, boolean refusedAsDuplicate) {
        Peer state = peer == null ? null : peers.get(peer);
        if (state == null) {
            return;
        }
        boolean lost = false;
        synchronized (state) {
            if (state.channel == channel) {
                state.clearChannel();
                lost = true;
            }
            if (initiatedLocally && !everReady) {
                failedAttempt(state, !refusedAsDuplicate);
            } else if (!initiatedLocally && !everReady) {
                state.accepting = false;
            }
            if (!state.pending.isEmpty()) {
                connectIfDue(state);
            }
        }
        if (lost) {
            listener.onDisconnected(peer);
        }
    }

    private boolean takesPrecedence(NodeId peer, boolean newInitiatedLocally, boolean currentInitiatedLocally) {
        if (newInitiatedLocally == currentInitiatedLocally) {
            return true; // the same side dialled twice: the newer connection replaces the older
        }
        boolean selfIsSmaller = identity.id().compareTo(peer) < 0;
        // keep the connection dialled by the smaller identity
        return newInitiatedLocally == selfIsSmaller;
    }

    private void drainPending(Peer state, Channel channel) {
        if (state.pending.isEmpty()) {
            return;
        }
        WireMessage message;
        while ((message = state.pending.poll()) != null) {
            channel.write(message, channel.voidPromise());
        }
        state.pendingBytes = 0;
        channel.flush();
    }

    private void connectIfDue(Peer state) {
        if (state.dialing || state.accepting || state.channel != null || closed || state.forgotten) {
            return;
        }
        long now = System.nanoTime();
        long wait = state.nextAttemptNanos - now;
        if (wait > 0) {
            if (!state.retryScheduled) {
                state.retryScheduled = true;
                group.schedule(() -> {
                    synchronized (state) {
                        state.retryScheduled = false;
                        if (!state.pending.isEmpty()) {
                            connectIfDue(state);
                        }
                    }
                }, wait, TimeUnit.NANOSECONDS);
            }
            return;
        }
        state.dialing = true;
        metrics.dials.increment();
        Endpoint target = state.address;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.ALLOCATOR, NettyTransports.allocator())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, WireSizeEstimator.INSTANCE)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(new ConnectionInitializer(this, clientTls, true, state.id));
        ChannelFuture connect = bootstrap.connect(target.host(), target.port());
        connect.addListener(future -> {
            if (!future.isSuccess()) {
                log.debug("connect to {} at {} failed: {}", state.id, target, future.cause().toString());
                synchronized (state) {
                    failedAttempt(state, true);
                    if (!state.pending.isEmpty()) {
                        connectIfDue(state);
                    }
                }
            }
        });
    }

    /** Ends a dial that did not become the connection and sets when the next may start. */
    private void failedAttempt(Peer state, boolean countAsFailure) {
        state.dialing = false;
        long min = config.reconnectBackoffMin().toMillis();
        long max = config.reconnectBackoffMax().toMillis();
        state.backoffMillis = state.backoffMillis == 0 ? min : Math.min(max, state.backoffMillis * 2);
        long jittered = state.backoffMillis / 2 + ThreadLocalRandom.current().nextLong(state.backoffMillis / 2 + 1);
        state.nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
        if (countAsFailure) {
            metrics.failedDials.increment();
        }
    }

    private WriteBufferWaterMark waterMark() {
        int high = config.maxQueuedBytesPerPeer();
        return new WriteBufferWaterMark(high / 2, high);
    }

    private static double countReady(Map<NodeId, Peer> peers) {
        return peers.values().stream().filter(p -> p.channel != null).count();
    }

    /** Per-peer connection state; every field is guarded by the instance's monitor. */
    private static final class Peer {
        final NodeId id;
        Endpoint address;
        volatile Channel channel;
        /** Batches writes to {@link #channel}; null exactly when it is. */
        ChannelWriter writer;
        boolean channelInitiatedLocally;
        boolean dialing;
        boolean accepting;
        boolean retryScheduled;
        boolean forgotten;
        long backoffMillis;
        long nextAttemptNanos = System.nanoTime();
        final ArrayDeque<WireMessage> pending = new ArrayDeque<>();
        long pendingBytes;

        Peer(NodeId id, Endpoint address) {
            this.id = id;
            this.address = address;
        }

        void attach(Channel newChannel, int maxFrameBytes) {
            channel = newChannel;
            writer = new ChannelWriter(newChannel, maxFrameBytes);
        }

        void clearChannel() {
            channel = null;
            writer = null;
        }
    }

    /** The transport's meters. */
    static final class TransportMetrics {
        final Counter dials;
        final Counter failedDials;
        final Counter accepted;
        final Counter tlsRejected;
        final Counter handshakeRejected;
        final Counter malformedFrames;
        final Counter duplicatesClosed;
        final Counter backPressure;
        final Counter idleClosed;
        final Counter unencodable;
        final Counter handshakesRefused;

        TransportMetrics(MeterRegistry registry) {
            dials = Counter.builder("iridium.connections.dials").description("Outbound connection attempts").register(registry);
            failedDials = Counter.builder("iridium.connections.dial.failures").description("Outbound attempts that failed before the handshake completed").register(registry);
            accepted = Counter.builder("iridium.connections.accepted").description("Connections that completed the handshake").register(registry);
            tlsRejected = rejected(registry, "tls");
            handshakeRejected = rejected(registry, "handshake");
            malformedFrames = Counter.builder("iridium.frames.malformed").description("Connections closed for a malformed or oversized frame").register(registry);
            duplicatesClosed = Counter.builder("iridium.connections.duplicates").description("Duplicate connections closed after simultaneous dials").register(registry);
            backPressure = Counter.builder("iridium.sends.backpressure").description("Sends refused because a peer's queue was full").register(registry);
            idleClosed = Counter.builder("iridium.connections.idle.closed").description("Connections closed for inactivity").register(registry);
            unencodable = Counter.builder("iridium.frames.unencodable").description("Outbound messages dropped because they could not be encoded (larger than a frame)").register(registry);
            handshakesRefused = rejected(registry, "too_many_handshakes");
        }

        private static Counter rejected(MeterRegistry registry, String reason) {
            return Counter.builder("iridium.connections.rejected")
                    .tag("reason", reason)
                    .description("Connections refused: TLS authentication failed (a stranger's key) or a bad handshake")
                    .register(registry);
        }
    }
}
