package io.iridium.relay.server;

import io.iridium.Node;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.ServiceLimits;
import io.iridium.Tunnel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clusters that relay connections serve on one node. A node registers a cluster at most once,
 * while Iris let several programs on one host serve the same cluster through one relay, so each
 * cluster is one node {@link Service} (with the relay's {@link ServiceLimits}) whose handler
 * spreads requests and tunnels round-robin over the relay connections attached to it and gives
 * every one of them each broadcast. The registration is made by the first connection attaching
 * and closed when the last one detaches.
 *
 * <p>Thread-safe: attach and detach synchronise on this object; handlers read a copy-on-write list.
 */
final class LocalClusters {
    private final Node node;
    private final ServiceLimits limits;
    /** How long after its own timeout the relay still waits for a service's reply to arrive. */
    private static final long REPLY_GRACE_MILLIS = 1_000;

    private final Duration deliveredLimit;
    private final Map<String, Members> clusters = new HashMap<>();

    LocalClusters(Node node, ServiceLimits limits, Duration deliveredRequestTimeout) {
        this.node = node;
        this.limits = limits;
        this.deliveredLimit = deliveredRequestTimeout;
    }

    /**
     * Makes {@code session} a member of {@code cluster}.
     *
     * @throws IllegalArgumentException for an invalid cluster name
     * @throws IllegalStateException    when the node itself (not the relay) already serves it
     */
    synchronized void attach(String cluster, RelaySession session) {
        Members members = clusters.get(cluster);
        if (members == null) {
            members = new Members(cluster);
            members.service = node.register(cluster, members, limits);
            clusters.put(cluster, members);
        }
        members.sessions.add(session);
    }

    /** Removes {@code session} from {@code cluster}, unregistering the cluster when it was the last. */
    synchronized void detach(String cluster, RelaySession session) {
        Members members = clusters.get(cluster);
        if (members == null) {
            return;
        }
        members.sessions.remove(session);
        if (members.sessions.isEmpty()) {
            clusters.remove(cluster);
            members.service.close();
        }
    }

    /** The relay connections serving {@code cluster} here, for tests and the status of the server. */
    synchronized int members(String cluster) {
        Members members = clusters.get(cluster);
        return members == null ? 0 : members.sessions.size();
    }

    /** The node service of one cluster: dispatches to the attached relay connections. */
    private final class Members implements ServiceHandler {
        final String cluster;
        final List<RelaySession> sessions = new CopyOnWriteArrayList<>();
        final AtomicInteger turn = new AtomicInteger();
        Service service;

        Members(String cluster) {
            this.cluster = cluster;
        }

        private RelaySession next() {
            while (true) {
                List<RelaySession> now = sessions;
                int size = now.size();
                if (size == 0) {
                    return null;
                }
                try {
                    return now.get(Math.floorMod(turn.getAndIncrement(), size));
                } catch (IndexOutOfBoundsException e) {
                    // a session detached between size() and get(); pick again
                }
            }
        }

        @Override
        public byte[] handleRequest(byte[] request, Duration remaining) throws Exception {
            RelaySession session = next();
            if (session == null) {
                throw new IllegalStateException("no relay connection serves '" + cluster + "' on this node any more");
            }
            // the service gets the requester's remaining time (Iris §5.2), capped by the relay's limit
            Duration timeout = remaining.compareTo(deliveredLimit) < 0 ? remaining : deliveredLimit;
            try {
                return session.deliverRequest(request, timeout).get(timeout.toMillis() + REPLY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } catch (TimeoutException e) {
                throw new IllegalStateException("the relay service did not reply in time");
            }
        }

        @Override
        public void handleBroadcast(byte[] message) {
            for (RelaySession session : sessions) {
                session.deliverBroadcast(message);
            }
        }

        @Override
        public void handleTunnel(Tunnel tunnel) {
            RelaySession session = next();
            if (session == null) {
                tunnel.close();
                return;
            }
            session.deliverTunnel(tunnel);
        }
    }
}
