package io.iridium;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The callbacks of a service registered with {@link Node#register}: what a member of a cluster
 * does with the requests, broadcasts and tunnels addressed to the cluster. Mirrors Iris's
 * {@code ServiceHandler}; every method has a sensible default, so a handler implements only what
 * it serves.
 *
 * <p>Threading: callbacks run on virtual threads, never on the node's event loops, bounded by the
 * service's {@link ServiceLimits}. They may block. Several run at once up to the limits, so a
 * handler shared between them must be thread-safe. (The one exception is an adapter that
 * declares itself a {@link NonBlockingServiceHandler}.)
 */
public interface ServiceHandler {

    /** Called once, before any other callback, with the node the service runs on. */
    default void init(Node node) {}

    /** A broadcast to the cluster. At most once, FIFO per sender when concurrency is 1. */
    default void handleBroadcast(byte[] message) {}

    /**
     * A request to the cluster, load-balanced to this member.
     *
     * @return the reply
     * @throws Exception to answer with a remote error carrying the exception's message
     */
    default byte[] handleRequest(byte[] request) throws Exception {
        throw new UnsupportedOperationException("this service does not handle requests");
    }

    /**
     * A request to the cluster, with the time left until the requester stops waiting. The node
     * calls this one; by default it ignores the time and calls {@link #handleRequest(byte[])}.
     * Override it to bound work by the requester's deadline or pass the deadline on (a reply
     * after it is discarded).
     *
     * @param remaining time left before the requester's deadline, always positive
     * @return the reply
     * @throws Exception to answer with a remote error carrying the exception's message
     */
    default byte[] handleRequest(byte[] request, Duration remaining) throws Exception {
        return handleRequest(request);
    }

    /**
     * A request to the cluster, answered later: the node calls this one, and by default it calls
     * {@link #handleRequest(byte[], Duration)} and returns its outcome as a completed stage.
     * Override it when the reply comes from somewhere else (another request, a connection, a
     * replication round) so that no thread waits for it. The request holds its share of the
     * service's memory limit until the stage completes; the handler thread is free as soon as
     * this method returns. The stage may complete on any thread; a reply after the requester's
     * deadline is discarded.
     *
     * @param remaining time left before the requester's deadline, always positive
     * @return the reply, or a failure to answer with a remote error carrying its message
     */
    default CompletionStage<byte[]> handleRequestAsync(byte[] request, Duration remaining) {
        try {
            return CompletableFuture.completedFuture(handleRequest(request, remaining));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * An inbound tunnel, accepted for this service; runs on its own virtual thread. The handler
     * owns the tunnel: returning does not close it. A service that does not override this method
     * does not handle tunnels: openers are refused before a tunnel is set up, with
     * {@link IridiumException.Remote}.
     */
    default void handleTunnel(Tunnel tunnel) {
        tunnel.close();
    }

    /** Something addressed to this service was dropped (over its limits); for logging or alerting. */
    default void handleDrop(Throwable reason) {}
}
