package io.iridium;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A running Iridium node: one member of a network, started by {@link Iridium#start(Config)}.
 *
 * <p>The node finds its network by itself (seeds, DNS, LAN multicast, or loopback in dev mode),
 * keeps an eventually consistent view of the members through SWIM, and secures every connection
 * with the network key. {@link #close()} announces a graceful departure, waits briefly for it to
 * spread, and releases sockets and threads.
 *
 * <p>Messaging is addressed by <em>cluster</em> — a name that any node joins by registering a
 * service — and by <em>topic</em>, never by host. The four patterns and their guarantees:
 *
 * <table>
 *   <caption>Messaging patterns</caption>
 *   <tr><th>call</th><th>delivered to</th><th>guarantee</th></tr>
 *   <tr><td>{@link #request}</td><td>one live member, load-balanced</td>
 *       <td>at most once; a reply, a remote error or a typed failure</td></tr>
 *   <tr><td>{@link #broadcast}</td><td>every current member</td><td>at most once, FIFO per sender</td></tr>
 *   <tr><td>{@link #publish}</td><td>every matching subscription</td><td>at most once, FIFO per publisher</td></tr>
 *   <tr><td>{@link #tunnel}</td><td>one member, load-balanced</td>
 *       <td>exactly once, in order, flow-controlled, until closed or a side fails</td></tr>
 * </table>
 *
 * <p>Failures are {@link IridiumException}s, each naming one outcome. Names are checked at the
 * call: an empty cluster or topic, or an invalid pattern, throws {@link IllegalArgumentException}.
 *
 * <p>Thread safety: every method may be called from any thread. Views returned are immutable
 * snapshots.
 */
public interface Node extends AutoCloseable {

    /** This node as the network sees it. */
    Member self();

    /** The address this node listens on (datagrams and data-plane connections share the port). */
    Endpoint address();

    /**
     * Every member this node knows of, itself included, with its current state. Members declared
     * {@link MemberState#DEAD} or {@link MemberState#LEFT} stay listed for a while before they are
     * forgotten, so that tools can show what happened.
     */
    List<Member> members();

    /**
     * Registers a listener for membership changes.
     *
     * @return a handle whose {@code close()} removes the listener
     */
    AutoCloseable onMembershipChange(MembershipListener listener);

    /**
     * Makes this node a member of {@code cluster}: requests, broadcasts and tunnels addressed to
     * the cluster may now be delivered to {@code handler}, within {@code limits}. The
     * registration spreads to the network by gossip within moments.
     *
     * @throws IllegalArgumentException for an invalid cluster name
     * @throws IllegalStateException    if this node already serves the cluster
     */
    Service register(String cluster, ServiceHandler handler, ServiceLimits limits);

    /** {@link #register(String, ServiceHandler, ServiceLimits)} with {@link ServiceLimits#DEFAULT}. */
    default Service register(String cluster, ServiceHandler handler) {
        return register(cluster, handler, ServiceLimits.DEFAULT);
    }

    /**
     * Sends a request to one live member of {@code cluster} and waits for its reply.
     *
     * <p>The member is chosen by load (power of two choices). A member that refuses the request
     * before running it (over its limits, or no longer a member) is replaced by another
     * transparently; the deadline travels with the request and a member does not start it late.
     *
     * @return the reply
     * @throws IridiumException.NoMembers      at once, if nobody serves the cluster
     * @throws IridiumException.TimedOut       if no reply came within {@code timeout}
     * @throws IridiumException.Remote         if the handler threw
     * @throws IridiumException.Overloaded     if every member refused it
     * @throws IridiumException.OutcomeUnknown if the member failed while holding it
     * @throws IridiumException.BackPressure   if every member's outbound queue was full
     */
    byte[] request(String cluster, byte[] request, Duration timeout);

    /**
     * {@link #request} without blocking. The future completes with the reply or one of the
     * exceptions {@link #request} throws; dependent stages run on a virtual thread, never on
     * Iridium's I/O threads.
     */
    CompletableFuture<byte[]> requestAsync(String cluster, byte[] request, Duration timeout);

    /**
     * {@link #requestAsync(String, byte[], Duration)}, with the future completed through
     * {@code executor}: its dependent stages run there instead of on a new virtual thread. For
     * callers that hand the outcome on at once (to an event loop of their own, a pool, a batch);
     * {@code Runnable::run} completes it on Iridium's I/O thread, where a dependent stage must be
     * short and must never block.
     */
    default CompletableFuture<byte[]> requestAsync(String cluster, byte[] request, Duration timeout, Executor executor) {
        return requestAsync(cluster, request, timeout).whenCompleteAsync((reply, failure) -> { }, executor);
    }

    /**
     * Sends a request to exactly {@code member} of {@code cluster}, with no failover to other
     * members: for protocols built on the fabric that must address one replica (a Raft peer, an
     * anti-entropy partner). Outcomes are those of {@link #requestAsync(String, byte[], Duration)};
     * it fails with {@link IridiumException.NoMembers} when {@code member} does not serve the
     * cluster in this node's routing view, and with {@link IridiumException.Overloaded} when it
     * refuses the request.
     */
    CompletableFuture<byte[]> requestAsync(String cluster, NodeId member, byte[] request, Duration timeout);

    /**
     * The live members that serve {@code cluster} in this node's routing view, this node included
     * when it serves it, in no particular order. Registrations spread by gossip, so a member that
     * just registered appears here within moments, and one that failed disappears once it is
     * declared dead.
     *
     * @throws IllegalArgumentException for an invalid cluster name
     */
    List<Member> servers(String cluster);

    /**
     * Delivers {@code message} to every current member of {@code cluster}, this node included if
     * it is one. At most once, FIFO per sender and member.
     *
     * @throws IridiumException.BackPressure if some members' outbound queues were full; the
     *                                       others still got the message
     */
    void broadcast(String cluster, byte[] message);

    /**
     * Subscribes to topics matching {@code pattern}: {@code .}-separated tokens, where {@code *}
     * matches one token and a final {@code >} matches one or more.
     *
     * @throws IllegalArgumentException for an invalid pattern
     */
    Subscription subscribe(String pattern, TopicHandler handler, TopicLimits limits);

    /** {@link #subscribe(String, TopicHandler, TopicLimits)} with {@link TopicLimits#DEFAULT}. */
    default Subscription subscribe(String pattern, TopicHandler handler) {
        return subscribe(pattern, handler, TopicLimits.DEFAULT);
    }

    /**
     * Subscribes as {@link #subscribe(String, TopicHandler, TopicLimits)} does, but shows each
     * event to {@code reader} in place instead of in an array of its own (see {@link TopicReader}):
     * for subscribers that read many small events and keep little of them.
     *
     * @throws IllegalArgumentException for an invalid pattern
     */
    Subscription subscribeInPlace(String pattern, TopicReader reader, TopicLimits limits);

    /** {@link #subscribeInPlace(String, TopicReader, TopicLimits)} with {@link TopicLimits#DEFAULT}. */
    default Subscription subscribeInPlace(String pattern, TopicReader reader) {
        return subscribeInPlace(pattern, reader, TopicLimits.DEFAULT);
    }

    /**
     * Delivers {@code event} to every subscription in the network whose pattern matches
     * {@code topic}, this node's included. At most once, FIFO per publisher and subscriber.
     *
     * @throws IllegalArgumentException      for an invalid topic (wildcards are for patterns)
     * @throws IridiumException.BackPressure if some subscribers' outbound queues were full
     */
    void publish(String topic, byte[] event);

    /**
     * Opens a tunnel to one live member of {@code cluster}, waiting up to {@code timeout} for it
     * to accept.
     *
     * @throws IridiumException.NoMembers if nobody serves the cluster
     * @throws IridiumException.TimedOut  if no member accepted in time
     */
    Tunnel tunnel(String cluster, Duration timeout);

    /** The meters of this node (the registry given in {@link Config}, or a private one). */
    MeterRegistry metrics();

    /** Leaves the network gracefully and releases all resources. Idempotent. */
    @Override
    void close();
}
