package io.iridium;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * A running Iridium node: one member of a network, started by {@link Iridium#start(Config)}.
 *
 * <p>The node finds its network by itself (seeds, DNS, LAN multicast, or loopback in dev mode),
 * keeps an eventually consistent view of the members through SWIM, and secures every connection
 * with the network key. {@link #close()} announces a graceful departure, waits briefly for it to
 * spread, and releases sockets and threads.
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

    /** The meters of this node (the registry given in {@link Config}, or a private one). */
    MeterRegistry metrics();

    /** Leaves the network gracefully and releases all resources. Idempotent. */
    @Override
    void close();
}
