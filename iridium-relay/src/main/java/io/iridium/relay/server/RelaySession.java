package io.iridium.relay.server;

import io.iridium.IridiumException;
import io.iridium.Node;
import io.iridium.Subscription;
import io.iridium.Tunnel;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.RelayProtocolException;
import io.iridium.relay.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay connection's protocol state, mapped onto the node's public API.
 *
 * <pre>
 *   HANDSHAKE ──INIT ok──▶ OPEN ──client CLOSE──▶ CLOSING ──socket closed──▶ CLOSED
 *       │  wrong version: DENY, close     │ violation / confirm timeout: close ──────▲
 *       └─ bad magic / deadline: close ───┴──────────────────────────────────────────┘
 * </pre>
 *
 * <ul>
 *   <li>A connection with a cluster is attached to that cluster through {@link LocalClusters}
 *       (one node service per cluster, shared by the relay connections serving it): requests
 *       delivered to it get relay ids from a counter starting at 0 and a timer; a reply after the
 *       timer, or with an unknown id, is discarded.</li>
 *   <li>Requests, broadcasts, publishes and subscriptions go to the node in the order the client
 *       sent them, on this session's thread; replies and events come back through the driver's
 *       {@link SessionDriver#execute}.</li>
 *   <li>Tunnels: {@link TunnelBridge}s by the client's tunnel id, one table for outbound and
 *       inbound ones; inbound tunnels wait under a build id (a second counter) for the client's
 *       confirmation, which must come within {@link RelayConfig#tunnelConfirmTimeout()}.</li>
 * </ul>
 *
 * <p>Confined to the connection's event loop: the only methods that other threads call are the
 * {@code deliver*} ones, which post into it.
 */
final class RelaySession {
    /**
     * How long past a delivered request's timeout this session waits before it ends a request it
     * never answered (its timer expired, or the connection closed) with a failure: by then the
     * requester's own deadline has passed, so it reports timed-out, never a fault.
     */
    static final Duration DELIVERED_GRACE = Duration.ofMillis(250);
    /**
     * The deadline a request with timeout-ms 0 travels with. Iridium cannot carry a zero deadline
     * (a member never starts a request whose deadline has passed), and its clocks tick in
     * milliseconds, so a 1 ms deadline can expire before the request even leaves this node; 50 ms
     * is enough to reach a service on a loaded machine, and the reply is ignored either way.
     */
    static final Duration ZERO_TIMEOUT_STAND_IN = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(RelaySession.class);

    enum State { HANDSHAKE, OPEN, CLOSING, CLOSED }

    private final Node node;
    private final LocalClusters clusters;
    private final RelayConfig config;
    private final SessionDriver driver;
    private final String peer;
    private final Map<Long, Delivered> delivered = new HashMap<>();
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<Long, Inbound> inbound = new HashMap<>();
    private final Map<Long, TunnelBridge> tunnels = new HashMap<>();
    private State state = State.HANDSHAKE;
    private SessionDriver.Cancellable handshakeTimer;
    private String cluster = "";
    private long nextRequestId;
    private long nextBuildId;
    private int requestsInFlight;
    private boolean readingPaused;

    /** A request delivered to this service connection, awaiting its REPLY. */
    private record Delivered(CompletableFuture<byte[]> reply, SessionDriver.Cancellable timer) {}

    /** An inbound tunnel announced under a build id, awaiting TUN_CONFIRM. */
    private record Inbound(Tunnel tunnel, SessionDriver.Cancellable timer) {}

    RelaySession(Node node, LocalClusters clusters, RelayConfig config, SessionDriver driver, String peer) {
        this.node = node;
        this.clusters = clusters;
        this.config = config;
        this.driver = driver;
        this.peer = peer;
    }

    /** Starts the handshake deadline. */
    void start() {
        handshakeTimer = driver.schedule(config.handshakeTimeout(), () -> {
            if (state == State.HANDSHAKE) {
                driver.close("no handshake within " + config.handshakeTimeout().toMillis() + " ms");
            }
        });
    }

    /** One decoded packet from the client. */
    void onFrame(ClientFrame frame) throws RelayProtocolException {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        switch (frame) {
            case ClientFrame.Init init -> handshake(init);
            case ClientFrame.Close close -> closeGracefully();
            case ClientFrame.Broadcast b -> broadcast(b);
            case ClientFrame.Request r -> request(r);
            case ClientFrame.Reply r -> reply(r);
            case ClientFrame.Subscribe s -> subscribe(s.topic());
            case ClientFrame.Unsubscribe u -> unsubscribe(u.topic());
            case ClientFrame.Publish p -> publish(p);
            case ClientFrame.TunnelInit t -> openTunnel(t);
            case ClientFrame.TunnelConfirm c -> confirmTunnel(c);
            case ClientFrame.TunnelAllow a -> {
                TunnelBridge bridge = tunnels.get(a.tunnelId());
                if (bridge != null) {
                    bridge.onAllow(a.space());
                }
            }
            case ClientFrame.TunnelTransfer t -> {
                TunnelBridge bridge = tunnels.get(t.tunnelId());
                if (bridge != null) {
                    bridge.onChunk(t.sizeOrContinuation(), t.payload());
                }
            }
            case ClientFrame.TunnelClose c -> {
                TunnelBridge bridge = tunnels.remove(c.tunnelId());
                if (bridge != null) {
                    bridge.stop(true);
                    driver.send(new RelayFrame.TunnelClose(c.tunnelId(), ""));
                }
            }
        }
    }

    // ---- handshake and close ----

    private void handshake(ClientFrame.Init init) throws RelayProtocolException {
        handshakeTimer.cancel();
        if (!Protocol.CLIENT_MAGIC.equals(init.magic())) {
            throw new RelayProtocolException("handshake: wrong client magic");
        }
        if (!Protocol.VERSION.equals(init.version())) {
            driver.send(new RelayFrame.Deny(Protocol.RELAY_MAGIC, Protocol.denyReason(init.version())));
            state = State.CLOSING;
            driver.close("handshake: unsupported version '" + init.version() + "', denied");
            return;
        }
        if (!init.cluster().isEmpty()) {
            try {
                clusters.attach(init.cluster(), this);
            } catch (RuntimeException e) {
                state = State.CLOSING;
                driver.close("handshake: cannot serve cluster '" + init.cluster() + "': " + e.getMessage());
                return;
            }
            cluster = init.cluster();
        }
        state = State.OPEN;
        driver.send(new RelayFrame.Init(Protocol.RELAY_MAGIC, Protocol.VERSION));
        log.debug("relay client {} attached{}", peer, cluster.isEmpty() ? "" : " as a service of '" + cluster + "'");
    }

    /**
     * The client's CLOSE: stop being a service, answer CLOSE(""), close the socket; the node side
     * (subscriptions, tunnels) is torn down when the socket is closed. Requests this client issued
     * are not awaited.
     */
    private void closeGracefully() {
        state = State.CLOSING;
        detach();
        driver.send(new RelayFrame.Close(""));
        driver.close(null);
    }

    /** The connection is gone: release everything it held on the node. */
    void onDisconnected() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        detach();
        for (Subscription subscription : subscriptions.values()) {
            subscription.close();
        }
        subscriptions.clear();
        for (Inbound pending : inbound.values()) {
            pending.timer().cancel();
            Thread.ofVirtual().start(pending.tunnel()::close);
        }
        inbound.clear();
        for (TunnelBridge bridge : tunnels.values()) {
            bridge.stop(false);
        }
        tunnels.clear();
    }

    /**
     * Stops serving the cluster. Requests already delivered are left to their timers: the
     * requesters see their own timeouts (as with Iris), never a fault from this connection leaving.
     */
    private void detach() {
        if (!cluster.isEmpty()) {
            clusters.detach(cluster, this);
            cluster = "";
        }
    }

    // ---- outbound messaging ----

    private void broadcast(ClientFrame.Broadcast b) {
        try {
            node.broadcast(b.cluster(), b.message());
        } catch (IllegalArgumentException | IridiumException e) {
            log.debug("relay client {}: broadcast to '{}' dropped: {}", peer, b.cluster(), e.getMessage());
        }
    }

    private void publish(ClientFrame.Publish p) {
        try {
            node.publish(IrisTopics.toSubject(p.topic()), p.event());
        } catch (IllegalArgumentException | IridiumException e) {
            log.debug("relay client {}: publish to '{}' dropped: {}", peer, p.topic(), e.getMessage());
        }
    }

    private void request(ClientFrame.Request r) {
        long id = r.id();
        long timeoutMillis = Math.min(r.timeoutMillis(), Integer.MAX_VALUE);
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (timeoutMillis == 0) {
            // §5.1: answered timed-out at once, yet still delivered to a service. Iridium cannot
            // express a zero deadline (a request whose deadline passed is never started), so it
            // travels with a short stand-in deadline, and its outcome is ignored.
            driver.send(RelayFrame.Reply.timeout(id));
            try {
                node.requestAsync(r.cluster(), r.request(), ZERO_TIMEOUT_STAND_IN);
            } catch (IllegalArgumentException | IridiumException e) {
                log.debug("relay client {}: request to '{}' not delivered: {}", peer, r.cluster(), e.getMessage());
            }
            return;
        }
        CompletableFuture<byte[]> reply;
        try {
            // completed on this session's thread: no hand-off through a virtual thread
            reply = node.requestAsync(r.cluster(), r.request(), Duration.ofMillis(timeoutMillis), driver::execute);
        } catch (IridiumException.NoMembers e) {
            timeOutAt(deadlineNanos, () -> driver.send(RelayFrame.Reply.timeout(id)));
            return;
        } catch (IllegalArgumentException | IridiumException e) {
            driver.send(RelayFrame.Reply.failure(id, String.valueOf(e.getMessage())));
            return;
        }
        requestsInFlight++;
        if (requestsInFlight >= config.maxRequestsInFlight() && !readingPaused) {
            readingPaused = true;
            driver.pauseReading(true);
        }
        reply.whenComplete((bytes, failure) -> answered(id, deadlineNanos, bytes, failure));
    }

    /**
     * Runs {@code timedOut} (on this session's thread, while the connection is open) once
     * {@code deadlineNanos} has passed: Iris answers a cluster without members only when the
     * requester's timeout expires, and programs may depend on that pacing.
     */
    private void timeOutAt(long deadlineNanos, Runnable timedOut) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        driver.schedule(Duration.ofNanos(delay), () -> {
            if (state == State.OPEN) {
                timedOut.run();
            }
        });
    }

    private void answered(long id, long deadlineNanos, byte[] bytes, Throwable failure) {
        requestsInFlight--;
        if (readingPaused && requestsInFlight < config.maxRequestsInFlight() / 2 + 1) {
            readingPaused = false;
            driver.pauseReading(false);
        }
        if (state != State.OPEN) {
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause == null) {
            driver.send(RelayFrame.Reply.success(id, bytes));
        } else if (cause instanceof IridiumException.TimedOut) {
            driver.send(RelayFrame.Reply.timeout(id));
        } else if (cause instanceof IridiumException.NoMembers) {
            // Iris reports a cluster with no members as a timeout, when the timeout expires
            timeOutAt(deadlineNanos, () -> driver.send(RelayFrame.Reply.timeout(id)));
        } else {
            String text = cause.getMessage();
            driver.send(RelayFrame.Reply.failure(id, text == null ? cause.getClass().getSimpleName() : text));
        }
    }

    private void subscribe(String topic) throws RelayProtocolException {
        if (subscriptions.containsKey(topic)) {
            throw new RelayProtocolException("subscribe: already subscribed to '" + topic + "'");
        }
        Subscription[] self = new Subscription[1];
        try {
            self[0] = node.subscribe(IrisTopics.toSubject(topic), (subject, event) -> deliverEvent(topic, self, event),
                    config.topicLimits());
        } catch (IllegalArgumentException e) {
            throw new RelayProtocolException("subscribe: " + e.getMessage());
        }
        subscriptions.put(topic, self[0]);
    }

    private void unsubscribe(String topic) throws RelayProtocolException {
        Subscription subscription = subscriptions.remove(topic);
        if (subscription == null) {
            throw new RelayProtocolException("unsubscribe: not subscribed to '" + topic + "'");
        }
        subscription.close();
    }

    /** A topic handler thread: one event for the client, queued (never blocking) for the connection. */
    private void deliverEvent(String topic, Subscription[] subscription, byte[] event) {
        driver.offer(event.length + topic.length() + 16L, () -> {
            // read on the session's thread, where the subscription was recorded before any event ran
            if (state == State.OPEN && subscription[0] != null && subscriptions.get(topic) == subscription[0]) {
                driver.send(new RelayFrame.Publish(topic, event));
            }
        });
    }

    // ---- serving (called by LocalClusters on handler threads) ----

    /**
     * Delivers a request to this service connection, telling it {@code timeout} as the time it
     * has; the future completes with its reply, and is left incomplete when none comes in time.
     */
    CompletableFuture<byte[]> deliverRequest(byte[] request, Duration timeout) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        // §5.2: the relay's own timer is the timeout the service is told; when it expires the
        // relay gives up on the reply and sends nothing back, so the requester sees timed-out
        Duration serviceTimeout = Duration.ofMillis((timeout.toNanos() + 999_999) / 1_000_000);
        driver.execute(() -> {
            if (state != State.OPEN || cluster.isEmpty()) {
                abandonAfter(reply, serviceTimeout);   // never answered: the requester's own deadline reports the timeout
                return;
            }
            long id = nextRequestId++;
            SessionDriver.Cancellable timer = driver.schedule(serviceTimeout, () -> {
                delivered.remove(id);
                abandonAfter(reply, Duration.ZERO);
            });
            delivered.put(id, new Delivered(reply, timer));
            driver.send(new RelayFrame.Request(id, request, serviceTimeout.toMillis()));
        });
        return reply;
    }

    /**
     * Ends a request this session will not answer, {@link #DELIVERED_GRACE} after {@code delay}, so
     * the node's service releases it (and its share of the service's memory limit). The timer is
     * the event loop's, as every timer of the session: a timer on another thread would cost two
     * wake-ups of that thread per request.
     */
    private void abandonAfter(CompletableFuture<byte[]> reply, Duration delay) {
        driver.schedule(delay.plus(DELIVERED_GRACE), () -> reply.completeExceptionally(
                new TimeoutException("the relay service did not answer within its timeout")));
    }

    private void reply(ClientFrame.Reply r) {
        Delivered pending = delivered.remove(r.id());
        if (pending == null) {
            log.debug("relay client {}: reply {} is late or unknown; discarded", peer, r.id());
            return;
        }
        pending.timer().cancel();
        if (r.success()) {
            pending.reply().complete(r.reply());
        } else {
            pending.reply().completeExceptionally(new RelayServiceFault(r.fault()));
        }
    }

    /**
     * Delivers a broadcast to this service connection (handler thread). Never blocks: a connection
     * that does not keep up has the broadcast dropped and counted, so the cluster's other members
     * on this node are not held up by it.
     */
    void deliverBroadcast(byte[] message) {
        driver.offer(message.length + 16L, () -> {
            if (state == State.OPEN) {
                driver.send(new RelayFrame.Broadcast(message));
            }
        });
    }

    /** The connection can take more data: resume the tunnels that were waiting for it. */
    void onWritable() {
        for (TunnelBridge bridge : new ArrayList<>(tunnels.values())) {
            bridge.drain();
        }
    }

    /** Offers an inbound tunnel to this service connection (handler thread). */
    void deliverTunnel(Tunnel tunnel) {
        driver.execute(() -> {
            if (state != State.OPEN) {
                Thread.ofVirtual().start(tunnel::close);
                return;
            }
            long build = nextBuildId++;
            SessionDriver.Cancellable timer = driver.schedule(config.tunnelConfirmTimeout(), () -> {
                if (inbound.containsKey(build)) {
                    driver.close("tunnel request timed out: build " + build + " not confirmed within "
                            + config.tunnelConfirmTimeout().toMillis() + " ms");
                }
            });
            inbound.put(build, new Inbound(tunnel, timer));
            driver.send(new RelayFrame.TunnelInit(build, WireLimits.CHUNK_LIMIT));
        });
    }

    private void confirmTunnel(ClientFrame.TunnelConfirm confirm) {
        Inbound pending = inbound.remove(confirm.buildId());
        if (pending == null) {
            log.info("relay client {}: non-existent tunnel confirmed (build {}); ignored", peer, confirm.buildId());
            return;
        }
        pending.timer().cancel();
        bridge(confirm.tunnelId(), pending.tunnel());
    }

    // ---- outbound tunnels ----

    private void openTunnel(ClientFrame.TunnelInit init) {
        long id = init.tunnelId();
        Duration timeout = Duration.ofMillis(Math.max(1, Math.min(init.timeoutMillis(), Integer.MAX_VALUE)));
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        Thread.ofVirtual().name("relay-tunnel-open-" + id).start(() -> {
            Tunnel tunnel;
            try {
                tunnel = node.tunnel(init.cluster(), timeout);
            } catch (IllegalArgumentException | IridiumException e) {
                log.debug("relay client {}: tunnel to '{}' failed: {}", peer, init.cluster(), e.getMessage());
                // §8.2: a failure (a cluster with no members, say) is confirmed timed-out when the timeout expires
                driver.execute(() -> timeOutAt(deadlineNanos, () -> driver.send(RelayFrame.TunnelConfirm.timeout(id))));
                return;
            }
            driver.execute(() -> {
                if (state != State.OPEN) {
                    Thread.ofVirtual().start(tunnel::close);
                    return;
                }
                driver.send(RelayFrame.TunnelConfirm.opened(id, WireLimits.CHUNK_LIMIT));
                bridge(id, tunnel);
            });
        });
    }

    private void bridge(long id, Tunnel tunnel) {
        TunnelBridge previous = tunnels.remove(id);
        if (previous != null) {
            previous.stop(false);
        }
        TunnelBridge bridge = new TunnelBridge(id, tunnel, this, driver, config.tunnelSendTimeout());
        tunnels.put(id, bridge);
        bridge.open();
    }

    /** A bridge's node tunnel ended ({@code reason} empty when the far side closed gracefully). */
    void tunnelFailed(TunnelBridge bridge, String reason) {
        if (bridge.stopped() || tunnels.get(bridge.id()) != bridge) {
            return;
        }
        tunnels.remove(bridge.id());
        bridge.stop(true);
        if (state == State.OPEN) {
            driver.send(new RelayFrame.TunnelClose(bridge.id(), reason));
        }
    }
}
