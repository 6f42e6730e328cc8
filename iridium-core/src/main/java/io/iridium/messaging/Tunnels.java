package io.iridium.messaging;

import io.iridium.IridiumException;
import io.iridium.NodeId;
import io.iridium.ServiceHandler;
import io.iridium.Tunnel;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnels of one node: opening them by load balancing, accepting them for local services,
 * routing their frames to {@link TunnelEndpoint}s, and failing them when a peer or connection is lost.
 *
 * <p><b>Opening.</b> The opener picks a member of the cluster with its own {@link Balancer}
 * (power of two choices over the tunnels this node holds open to each member), sends
 * {@code TunnelOpen} granting its receive window ({@link #WINDOW}) and waits. A
 * {@code TunnelRefuse} with {@code notMember}, an unreachable member, or one lost before it
 * answered: try another member not yet tried. None left: {@link IridiumException.NoMembers} at
 * once. A refusal without {@code notMember} (the service does not handle tunnels) fails with
 * {@link IridiumException.Remote}. No answer by the deadline: {@link IridiumException.TimedOut},
 * and a {@code TunnelAbort} follows so that a late acceptance is undone.
 *
 * <pre>
 *   opener                                               member
 *     | -- TunnelOpen(id, cluster, timeout, credit W) ------> |  service here and it handles tunnels?
 *     | &lt;------------- TunnelAccept(id|R, credit W) ---------- |  yes: handleTunnel on a virtual thread
 *     | &lt;------------- TunnelRefuse(id|R, notMember, why) ---- |  no
 *     | &lt;======= TunnelData / Credit / End / Abort ===========&gt; |  opener stamps id, member id|R
 * </pre>
 *
 * <p><b>Tunnel ids and direction.</b> The opener chooses the id (positive, from a per-node
 * counter); every frame the accepting side sends carries it with the top bit {@code R} set.
 * Frames carry no other direction, and both nodes of a pair may open tunnels to each other with
 * the same counter value, so a receiver keys endpoints by (peer, id, direction): a frame with
 * {@code R} set is for a tunnel this node opened, one without it for a tunnel the peer opened.
 *
 * <p><b>Self.</b> This node is a candidate like any other member. When the balancer picks it, the
 * tunnel is an in-memory pair of endpoints whose frames are handed to each other directly, with
 * the same chunking, credit, half-close and abort semantics as over the network.
 *
 * <p><b>Liveness.</b> Each remote endpoint pins its peer's connection (heartbeats instead of an
 * idle close) until released. When the connection drops or the member fails, every tunnel to
 * that peer fails at once with {@link IridiumException.Closed} naming the cause (frames may have
 * been lost, so the stream cannot go on); the far side sees the same drop and fails too. Aborts
 * this side decides (a timed-out sender mid-message, a handler that threw, a graceful close whose
 * far side never ended, node shutdown) are also sent as {@code TunnelAbort}.
 *
 * <p>Thread safety: {@link #open} blocks and runs on application threads; frames and peer losses
 * arrive on event loops and never block. Routing tables are concurrent maps.
 */
final class Tunnels {
    private static final Logger log = LoggerFactory.getLogger(Tunnels.class);
    /**
     * The receive window each side grants the other at open: what a non-reading side may hold. It
     * grows (up to {@link TunnelFlow#MAX_GROWTH} times) only while the reader keeps up with a
     * sender that ran out of credit; see {@link TunnelFlow}.
     */
    static final long WINDOW = 1L << 20;
    /** Set in the id of every frame the accepting side sends. */
    static final long ACCEPTOR_BIT = Long.MIN_VALUE;

    /** Whether a handler class overrides {@link ServiceHandler#handleTunnel}. */
    private static final ClassValue<Boolean> HANDLES_TUNNELS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("handleTunnel", Tunnel.class).getDeclaringClass() != ServiceHandler.class;
            } catch (NoSuchMethodException e) {
                return Boolean.TRUE;
            }
        }
    };

    private final NodeId self;
    private final FrameSender sender;
    private final Supplier<RouteTable> routes;
    private final Function<String, ServiceHandler> services;
    private final Executor handlers;
    private final MessagingMetrics metrics;
    private final Timer deadlines;
    private final long window;
    private final Balancer balancer;
    private final Map<Key, TunnelEndpoint> opened = new ConcurrentHashMap<>();
    private final Map<Key, TunnelEndpoint> accepted = new ConcurrentHashMap<>();
    private final Set<TunnelEndpoint> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile boolean closed;

    /** A tunnel as a receiver keys it: the peer and the opener's id (direction is the map). */
    private record Key(NodeId peer, long id) {}

    /**
     * @param self     this node
     * @param sender   the data plane
     * @param routes   the current routing snapshot
     * @param services the handler of the local service of a cluster, or null if none is open here
     * @param handlers runs tunnel handlers (virtual threads)
     * @param deadlines where a waiting receive or send keeps its deadline (see {@link TunnelEndpoint})
     */
    Tunnels(NodeId self, FrameSender sender, Supplier<RouteTable> routes, Function<String, ServiceHandler> services,
            Executor handlers, MessagingMetrics metrics, Timer deadlines) {
        this(self, sender, routes, services, handlers, metrics, deadlines, WINDOW, new Balancer());
    }

    /** As above, with the window and the balancer (its own: scored by the tunnels held open) chosen by a test. */
    Tunnels(NodeId self, FrameSender sender, Supplier<RouteTable> routes, Function<String, ServiceHandler> services,
            Executor handlers, MessagingMetrics metrics, Timer deadlines, long window, Balancer balancer) {
        this.self = self;
        this.deadlines = deadlines;
        this.sender = sender;
        this.routes = routes;
        this.services = services;
        this.handlers = handlers;
        this.metrics = metrics;
        this.window = window;
        this.balancer = balancer;
    }

    // ---- opening -------------------------------------------------------------------------------

    /** Opens a tunnel to one member of {@code cluster}; see {@link io.iridium.Node#tunnel}. */
    Tunnel open(String cluster, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        ensureOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<NodeId> tried = new HashSet<>();
        String lastRefusal = null;
        boolean retriedLost = false;
        while (true) {
            ensureOpen();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IridiumException.TimedOut("no member of '" + cluster + "' accepted a tunnel within " + timeout);
            }
            List<Target> candidates = Target.excluding(routes.get().servers(cluster), tried);
            if (candidates.isEmpty()) {
                metrics.noMembers.increment();
                throw new IridiumException.NoMembers(tried.isEmpty()
                        ? "no live member serves cluster '" + cluster + "'"
                        : "no live member of '" + cluster + "' accepted the tunnel (last: " + lastRefusal + ")");
            }
            Target target = balancer.choose(candidates, ThreadLocalRandom.current());
            tried.add(target.id());
            if (target.id().equals(self)) {
                ServiceHandler handler = services.apply(cluster);
                if (handler == null) {
                    lastRefusal = "this node no longer serves '" + cluster + "'";
                    continue;
                }
                if (!HANDLES_TUNNELS.get(handler.getClass())) {
                    throw new IridiumException.Remote(noHandler(cluster));
                }
                return openLocal(cluster, handler);
            }
            TunnelEndpoint endpoint = openRemote(cluster, target, left);
            if (endpoint == null) {
                lastRefusal = "member " + target.id() + " was unreachable";
                continue;
            }
            switch (endpoint.awaitOpen(deadline)) {
                case TunnelEndpoint.OpenOutcome.Accepted a -> {
                    return endpoint;
                }
                case TunnelEndpoint.OpenOutcome.Refused r -> {
                    endpoint.release();
                    if (!r.notMember()) {
                        throw new IridiumException.Remote("member " + target.id() + " refused the tunnel: " + r.reason());
                    }
                    lastRefusal = r.reason();
                }
                case TunnelEndpoint.OpenOutcome.Lost l -> {
                    lastRefusal = l.reason();
                    if (!retriedLost) { // a connection that closed under the open: once more, over a new one
                        retriedLost = true;
                        tried.remove(target.id());
                    }
                }
                case TunnelEndpoint.OpenOutcome.TimedOut t -> {
                    endpoint.abort("the opener stopped waiting for an answer", true);
                    throw new IridiumException.TimedOut("member " + target.id() + " of '" + cluster
                            + "' did not answer the tunnel within " + timeout);
                }
            }
        }
    }

    /** Sends the open to {@code target}; null if it could not leave this node. */
    private TunnelEndpoint openRemote(String cluster, Target target, long leftNanos) {
        NodeId peer = target.id();
        long id = nextId.getAndIncrement();
        Key key = new Key(peer, id);
        TunnelEndpoint endpoint = new TunnelEndpoint(cluster, "node " + peer, id, window, handlers, metrics, deadlines, released -> {
            opened.remove(key, released);
            live.remove(released);
            sender.unpin(peer);
            balancer.abandoned(peer);
        });
        endpoint.connect(frame -> sender.send(target, frame));
        balancer.started(peer);
        sender.pin(peer);
        live.add(endpoint);
        opened.put(key, endpoint);
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        SendResult result = sender.send(target, new WireMessage.TunnelOpen(id, cluster, timeoutMillis, window));
        if (result != SendResult.QUEUED) {
            if (result == SendResult.BACK_PRESSURE) {
                metrics.backPressure.increment();
            }
            endpoint.release();
            return null;
        }
        if (closed) {
            endpoint.abort("the node is closing", true);
        }
        return endpoint;
    }

    /** A tunnel to a service of this node: two endpoints handing frames to each other. */
    private Tunnel openLocal(String cluster, ServiceHandler handler) {
        long id = nextId.getAndIncrement();
        TunnelEndpoint client = new TunnelEndpoint(cluster, "this node", id, window, handlers, metrics, deadlines, live::remove);
        TunnelEndpoint server = new TunnelEndpoint(cluster, "this node's client", id | ACCEPTOR_BIT, window, handlers, metrics, deadlines, live::remove);
        client.connect(frame -> {
            server.onFrame(frame);
            return SendResult.QUEUED;
        });
        server.connect(frame -> {
            client.onFrame(frame);
            return SendResult.QUEUED;
        });
        client.openedBy(window);
        server.openedBy(window);
        live.add(client);
        live.add(server);
        if (!startHandler(handler, server, Long.MAX_VALUE)) {
            client.abort("the node is closing", true);
            throw new IridiumException.Closed("the node is closing");
        }
        return client;
    }

    // ---- inbound frames (event loop) -----------------------------------------------------------

    /** A tunnel frame from {@code from}. Never blocks, never throws. */
    void onFrame(NodeId from, WireMessage frame) {
        onFrame(from, frame, null);
    }

    /**
     * A tunnel frame from {@code from}, read by an event loop that wakes tunnel readers at the end
     * of its read burst through {@code wakeups} (null: at once). Never blocks, never throws.
     */
    void onFrame(NodeId from, WireMessage frame, ReaderWakeups wakeups) {
        try {
            switch (frame) {
                case WireMessage.TunnelOpen open -> onOpen(from, open);
                case WireMessage.TunnelAccept accept -> {
                    TunnelEndpoint endpoint = opened.get(new Key(from, accept.tunnel() & ~ACCEPTOR_BIT));
                    if (endpoint == null) {
                        // the opener gave up meanwhile: undo the acceptance
                        sender.reply(from, new WireMessage.TunnelAbort(accept.tunnel() & ~ACCEPTOR_BIT, "the opener gave up on this tunnel"));
                    } else {
                        endpoint.onFrame(accept);
                    }
                }
                case WireMessage.TunnelRefuse refuse -> deliver(opened.get(new Key(from, refuse.tunnel() & ~ACCEPTOR_BIT)), refuse);
                case WireMessage.TunnelData data -> {
                    TunnelEndpoint endpoint = lookup(from, data.tunnel());
                    if (endpoint == null) {
                        sender.reply(from, new WireMessage.TunnelAbort(data.tunnel() ^ ACCEPTOR_BIT, "no such tunnel"));
                    } else {
                        endpoint.onFrame(data, wakeups);
                    }
                }
                case WireMessage.TunnelCredit credit -> deliver(lookup(from, credit.tunnel()), credit);
                case WireMessage.TunnelEnd end -> deliver(lookup(from, end.tunnel()), end);
                case WireMessage.TunnelAbort abort -> deliver(lookup(from, abort.tunnel()), abort);
                default -> log.debug("not a tunnel frame: {}", frame);
            }
        } catch (RuntimeException e) {
            log.warn("tunnel frame {} from {} failed; ignored", frame, from, e);
        }
    }

    private static void deliver(TunnelEndpoint endpoint, WireMessage frame) {
        if (endpoint != null) {
            endpoint.onFrame(frame);
        }
    }

    /** The endpoint a frame with {@code wireId} from {@code from} is for, by its direction bit. */
    private TunnelEndpoint lookup(NodeId from, long wireId) {
        return (wireId & ACCEPTOR_BIT) != 0
                ? opened.get(new Key(from, wireId & ~ACCEPTOR_BIT))
                : accepted.get(new Key(from, wireId));
    }

    private void onOpen(NodeId from, WireMessage.TunnelOpen open) {
        long id = open.tunnel();
        if (id <= 0) {
            log.debug("ignoring a tunnel open with invalid id {} from {}", id, from);
            return;
        }
        long reply = id | ACCEPTOR_BIT;
        if (closed) {
            sender.reply(from, new WireMessage.TunnelRefuse(reply, true, "the node is closing"));
            return;
        }
        Key key = new Key(from, id);
        if (accepted.containsKey(key)) {
            return; // a duplicate open
        }
        ServiceHandler handler = services.apply(open.cluster());
        if (handler == null) {
            sender.reply(from, new WireMessage.TunnelRefuse(reply, true, "node " + self + " is not a member of '" + open.cluster() + "'"));
            return;
        }
        if (!HANDLES_TUNNELS.get(handler.getClass())) {
            sender.reply(from, new WireMessage.TunnelRefuse(reply, false, noHandler(open.cluster())));
            return;
        }
        TunnelEndpoint endpoint = new TunnelEndpoint(open.cluster(), "node " + from, reply, window, handlers, metrics, deadlines, released -> {
            accepted.remove(key, released);
            live.remove(released);
            sender.unpin(from);
        });
        endpoint.connect(frame -> sender.reply(from, frame));
        endpoint.openedBy(open.credit());
        sender.pin(from);
        live.add(endpoint);
        accepted.put(key, endpoint);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(open.timeoutMillis());
        if (!startHandler(handler, endpoint, deadline)) {
            endpoint.abort("the node is closing", true);
        }
    }

    /**
     * Runs the service's tunnel handler on a virtual thread, after sending the acceptance from
     * that thread (so that it precedes whatever the handler sends). A handler that throws aborts
     * the tunnel; one that returns leaves it to whoever it handed the tunnel to.
     */
    private boolean startHandler(ServiceHandler handler, TunnelEndpoint endpoint, long acceptDeadline) {
        try {
            handlers.execute(() -> {
                if (acceptDeadline != Long.MAX_VALUE && !endpoint.sendAccept(window, acceptDeadline)) {
                    return;
                }
                try {
                    handler.handleTunnel(endpoint);
                } catch (RuntimeException | Error e) {
                    log.warn("the tunnel handler of {} threw; aborting the tunnel", endpoint, e);
                    endpoint.abort("the tunnel handler failed: " + e, true);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---- failures ------------------------------------------------------------------------------

    /** Fails every tunnel to {@code peer}: its connection dropped or it failed. Never blocks. */
    void peerLost(NodeId peer, String reason) {
        List<TunnelEndpoint> doomed = new ArrayList<>();
        opened.forEach((key, endpoint) -> {
            if (key.peer().equals(peer)) {
                doomed.add(endpoint);
            }
        });
        accepted.forEach((key, endpoint) -> {
            if (key.peer().equals(peer)) {
                doomed.add(endpoint);
            }
        });
        for (TunnelEndpoint endpoint : doomed) {
            endpoint.abort(reason, false);
        }
    }

    /** Aborts every tunnel (telling the far sides) and refuses new ones. */
    void close() {
        closed = true;
        for (TunnelEndpoint endpoint : List.copyOf(live)) {
            endpoint.abort("the node is closing", true);
        }
    }

    /** Open tunnel endpoints on this node (both ends of a local pair count): for tests and status. */
    int openCount() {
        return live.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IridiumException.Closed("the node is closed");
        }
    }

    private static String noHandler(String cluster) {
        return "the service '" + cluster + "' does not handle tunnels";
    }
}
