package io.iridium.relay.server;

import io.iridium.Node;
import io.iridium.NonBlockingServiceHandler;
import io.iridium.Service;
import io.iridium.ServiceLimits;
import io.iridium.Tunnel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final Map<String, Members> clusters = new HashMap<>();

    LocalClusters(Node node, ServiceLimits limits) {
        this.node = node;
        this.limits = limits;
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

    /**
     * The node service of one cluster: dispatches to the attached relay connections. Non-blocking
     * (a request is posted to a connection's event loop and its reply completes the stage), so
     * the node runs it on the delivering thread instead of a virtual thread.
     */
    private final class Members implements NonBlockingServiceHandler {
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
        public CompletionStage<byte[]> handleRequestAsync(byte[] request, Duration remaining) {
            RelaySession session = next();
            if (session == null) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("no relay connection serves '" + cluster + "' on this node any more"));
            }
            // Iris §5.2 tells the service the requester's original timeout. Iridium's request carries
            // the time left when it was sent (for a first attempt, the original less the transit
            // before it), which is the best approximation of the original this node has; the
            // session rounds it up to whole milliseconds and times the service by it. No thread
            // waits: the reply completes the stage on the service connection's thread, and the
            // session ends one that never comes a grace period after the requester's deadline.
            return session.deliverRequest(request, remaining);
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
