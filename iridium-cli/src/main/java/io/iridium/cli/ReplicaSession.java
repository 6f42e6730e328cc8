package io.iridium.cli;

import io.iridium.data.replication.ConsistencyNotReachedException;
import io.iridium.data.replication.ReplicaOptions;
import io.iridium.data.replication.Replicas;
import io.iridium.routing.Subjects;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@code iridium counter}, {@code set} and {@code register} run on: a short-lived node that
 * joins the replica cluster as a temporary replica for the length of the command.
 *
 * <p>Why a temporary replica rather than a request to a server: the replication protocol is the
 * only protocol replicas speak, so the command reads and writes exactly as an application
 * embedding the library would — a MAJORITY write is confirmed by a majority of the cluster's
 * replicas, a MAJORITY read merges theirs. It first waits (bounded) until it sees another
 * replica; with none it fails with a hint to start one ({@code iridium node --replicas NAME}).
 *
 * <p>It is a {@linkplain ReplicaOptions#temporary() temporary} replica: it does not serve the
 * cluster, so the long-lived replicas never count it toward their MAJORITY, and it does not count
 * itself toward its own — a MAJORITY write needs a majority of the real replicas to acknowledge.
 * (Being fresh, it counts the replicas it sees; it knows nothing of replicas cut off from it.)
 *
 * <p>A temporary replica must not leave a counter entry behind for every run: on exit it leaves
 * the set gracefully ({@link Replicas#leave()}), handing its counter entries to a long-lived
 * replica, which folds them into its own entry (see {@code ReplicaCore}); counters therefore
 * keep one entry per long-lived replica however often the command runs. If no replica confirms
 * the hand-off in time (the command is killed, or the network fails at that moment) the entry
 * stays, which is correct, only not compact, and a warning says so.
 */
final class ReplicaSession implements AutoCloseable {

    private static final Duration REPLICA_WAIT = Duration.ofSeconds(5);

    private final ShortLivedNode session;
    private final Replicas replicas;
    private final PrintWriter err;

    private ReplicaSession(ShortLivedNode session, Replicas replicas, PrintWriter err) {
        this.session = session;
        this.replicas = replicas;
        this.err = err;
    }

    /** Joins {@code cluster} as a temporary replica and waits to meet a real one. */
    static ReplicaSession open(NetworkOptions network, String cluster, PrintWriter err) {
        Subjects.validateCluster(cluster);
        ShortLivedNode session = ShortLivedNode.start(network.configBuilder(true).build());
        try {
            session.awaitNetwork(ShortLivedNode.NETWORK_WAIT, err);
            Replicas replicas = Replicas.join(session.node(), cluster, ReplicaOptions.defaults().asTemporary());
            long deadline = System.nanoTime() + REPLICA_WAIT.toNanos();
            while (replicas.replicas().isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    replicas.close();
                    throw new CommandFailure("no replica of '" + cluster + "' found; start one with"
                            + " `iridium node --replicas " + cluster + "`");
                }
                LockSupport.parkNanos(20_000_000);
            }
            return new ReplicaSession(session, replicas, err);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    Replicas replicas() {
        return replicas;
    }

    /** Waits for {@code future}, turning a consistency failure into a one-line command failure. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConsistencyNotReachedException failure) {
                throw new CommandFailure(failure.getMessage());
            }
            throw e;
        }
    }

    /** Leaves the replica set (handing this run's counter entries to a real replica), then stops. */
    @Override
    public void close() {
        try {
            if (!replicas.leave()) {
                err.println("warning: no replica of '" + replicas.cluster() + "' confirmed taking over this"
                        + " command's counter entry; it stays in the counter (its value is unaffected)");
                err.flush();
            }
        } finally {
            session.close();
        }
    }
}
