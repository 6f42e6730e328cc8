package io.iridium.cli;

import io.iridium.Config;
import io.iridium.Member;
import io.iridium.runtime.NodeRuntime;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The node that a messaging command ({@code serve}, {@code request}, {@code pub}, ...) runs for as
 * long as the command does: it joins the network, does its one job and leaves gracefully.
 *
 * <p>A fresh node knows nobody and no routes. {@link #awaitNetwork} waits (bounded) until it has
 * met another live member <em>and</em> its routing registry has caught up with that member
 * ({@link NodeRuntime#isRoutingSynced()}), so that a {@code pub} started after a {@code sub} sees
 * the subscription. The registry counts as synced while no other member is known, hence both
 * conditions. A shutdown hook makes the node leave gracefully however the JVM ends (Ctrl-C during
 * a request, say); {@link #close()} does the same and removes the hook. Closing is idempotent.
 */
public final class ShortLivedNode implements AutoCloseable {

    /** How long a command waits to meet the network before going ahead anyway. */
    public static final Duration NETWORK_WAIT = Duration.ofSeconds(5);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final NodeRuntime node;
    private final Thread hook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShortLivedNode(NodeRuntime node) {
        this.node = node;
        this.hook = new Thread(this::leave, "iridium-short-lived-node-shutdown");
    }

    /**
     * Starts a node from {@code config}. Unless the user chose a log level, the node's own
     * informational logs are silenced: the command's output is what matters.
     */
    public static ShortLivedNode start(Config config) {
        String property = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(property) == null) {
            System.setProperty(property, "warn");
        }
        ShortLivedNode started = new ShortLivedNode(NodeRuntime.start(config));
        Runtime.getRuntime().addShutdownHook(started.hook);
        return started;
    }

    public NodeRuntime node() {
        return node;
    }

    /** {@code node NAME (short id) at HOST:PORT}, for banners. */
    public String describe() {
        return "node " + node.self().name() + " (" + node.id() + ") at " + node.address();
    }

    /**
     * Waits up to {@code wait} until this node has met another live member and holds the routes
     * it had. When that does not happen in time it says so on {@code err} and returns false: the
     * command goes ahead, and a request, say, then fails with "no members".
     */
    public boolean awaitNetwork(Duration wait, PrintWriter err) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!metNetwork()) {
            if (System.nanoTime() - deadline >= 0) {
                err.println("(met no other node of the network within " + wait.toSeconds()
                        + " s; going ahead with what this node knows)");
                err.flush();
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    private boolean metNetwork() {
        boolean metSomeone = node.members().stream()
                .anyMatch(member -> !member.id().equals(node.id()) && isLive(member));
        return metSomeone && node.isRoutingSynced();
    }

    private static boolean isLive(Member member) {
        return member.state().isLive();
    }

    /** Leaves the network gracefully. Idempotent. */
    @Override
    public void close() {
        leave();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    private void leave() {
        if (closed.compareAndSet(false, true)) {
            node.close();
        }
    }
}
