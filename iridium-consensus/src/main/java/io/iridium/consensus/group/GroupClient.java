package io.iridium.consensus.group;

import io.iridium.Node;
import io.iridium.consensus.group.GroupProtocol.AdminOperation;
import io.iridium.consensus.machine.Command;
import io.iridium.consensus.machine.Envelope;
import io.iridium.consensus.machine.KeyValue;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A client session with a Raft group, over any node of the fabric (the node need not be a
 * member): requests go to the group's cluster, any member takes them and forwards commands to
 * the leader.
 *
 * <p>The session is a random client id and a sequence number per command. A command is retried,
 * with the same sequence number, whenever the outcome is unknown (a timeout, a member that lost
 * leadership, no leader yet) until the deadline; the group applies it at most once. Reads are
 * retried freely. One command at a time per session: calls are serialized; use one client per
 * concurrent caller.
 *
 * <p>Failures: {@link GroupUnavailableException} when the deadline passes,
 * {@link IllegalArgumentException} when the group refuses the request as malformed.
 */
public final class GroupClient {

    private static final Duration BACKOFF = Duration.ofMillis(20);

    private final Node node;
    private final String cluster;
    private final Duration timeout;
    private final long clientId;
    private long sequence;
    private Envelope last;

    /**
     * Creates a session.
     *
     * @param node    the node to send from
     * @param cluster the group's cluster name
     * @param timeout how long one call may take, retries included
     */
    public GroupClient(Node node, String cluster, Duration timeout) {
        this.node = Objects.requireNonNull(node, "node");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        long id;
        do {
            id = new SecureRandom().nextLong();
        } while (id == 0);
        this.clientId = id;
    }

    /**
     * Resumes a session started elsewhere (another process of a command-line tool): the same
     * client id, so that locks it holds can be released. Sequence numbers continue from the wall
     * clock in microseconds, so they exceed those of any earlier process of the session (one
     * command per microsecond at most).
     *
     * @param node     the node to send from
     * @param cluster  the group's cluster name
     * @param timeout  how long one call may take
     * @param clientId the session's id, not 0
     * @return the resumed session
     */
    public static GroupClient resume(Node node, String cluster, Duration timeout, long clientId) {
        if (clientId == 0) {
            throw new IllegalArgumentException("session id 0 means no session");
        }
        GroupClient client = new GroupClient(node, cluster, timeout, clientId);
        client.sequence = java.time.Instant.now().toEpochMilli() * 1000;
        return client;
    }

    private GroupClient(Node node, String cluster, Duration timeout, long clientId) {
        this.node = Objects.requireNonNull(node, "node");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clientId = clientId;
    }

    /**
     * This session's client id.
     *
     * @return the id
     */
    public long clientId() {
        return clientId;
    }

    /**
     * Replicates a command under the next sequence number.
     *
     * @param command the command
     * @return its result
     */
    public synchronized Result execute(Command command) {
        last = new Envelope(clientId, ++sequence, 0, command);
        return send(new GroupProtocol.Submit(last, false));
    }

    /**
     * Sends the last command again with its sequence number, after a
     * {@link GroupUnavailableException}: it is applied at most once in all.
     *
     * @return its result
     */
    public synchronized Result retryLast() {
        if (last == null) {
            throw new IllegalStateException("no command was sent in this session");
        }
        return send(new GroupProtocol.Submit(last, false));
    }

    /**
     * Reads the group's state.
     *
     * @param query       what to read
     * @param consistency how fresh
     * @return the result
     */
    public Result read(Query query, Consistency consistency) {
        return send(new GroupProtocol.Read(query, consistency, false));
    }

    /**
     * Administers the group: status, add, remove or transfer leadership to a member.
     *
     * @param operation what to do
     * @param member    the member's name ({@code ""} for status)
     * @return the answer, for people
     */
    public String admin(AdminOperation operation, String member) {
        GroupProtocol.Reply reply = exchange(new GroupProtocol.Admin(operation, member, false));
        return switch (reply) {
            case GroupProtocol.Text t -> t.text();
            case GroupProtocol.Done d -> d.result().toString();
            default -> throw new IllegalStateException("unexpected reply " + reply);
        };
    }

    /** Sets a key; returns the store revision of the write. */
    public long put(String key, String value) {
        return ((Result.Written) execute(new Command.Put(key, utf8(value)))).revision();
    }

    /** Reads a key, linearizably. */
    public Optional<KeyValue> get(String key) {
        return get(key, Consistency.LINEARIZABLE);
    }

    /** Reads a key with the given consistency. */
    public Optional<KeyValue> get(String key, Consistency consistency) {
        return ((Result.Found) read(new Query.Get(key), consistency)).entry();
    }

    /** Deletes a key; returns whether it existed. */
    public boolean delete(String key) {
        return ((Result.Deleted) execute(new Command.Delete(key))).existed();
    }

    /** Sets a key if it holds {@code expected} ({@code null}: if absent); returns whether it did. */
    public boolean compareAndSet(String key, String expected, String value) {
        return ((Result.Swapped) execute(new Command.CompareAndSet(key, expected == null ? null : utf8(expected),
                utf8(value)))).swapped();
    }

    /** Lists keys with a prefix, linearizably. */
    public List<KeyValue> list(String prefix, int limit) {
        return ((Result.Listed) read(new Query.Range(prefix, limit), Consistency.LINEARIZABLE)).entries();
    }

    /** Adds to a counter; returns the new value. */
    public long add(String counter, long delta) {
        return ((Result.Count) execute(new Command.Add(counter, delta))).value();
    }

    /** Takes a lock or queues for it: {@link Result.Granted} or {@link Result.Queued}. */
    public Result acquire(String lock, Duration lease) {
        return execute(new Command.Acquire(lock, lease.toMillis()));
    }

    /** Releases a lock or leaves its queue; returns whether this session held it. */
    public boolean release(String lock) {
        return ((Result.Released) execute(new Command.Release(lock))).held();
    }

    private Result send(GroupProtocol.Request request) {
        GroupProtocol.Reply reply = exchange(request);
        return switch (reply) {
            case GroupProtocol.Done d -> d.result();
            default -> throw new IllegalStateException("unexpected reply " + reply);
        };
    }

    /** Sends until a reply that is not "retry", or the deadline. */
    private GroupProtocol.Reply exchange(GroupProtocol.Request request) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] bytes = GroupProtocol.encode(request);
        String lastReason = "no attempt";
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new GroupUnavailableException("group " + cluster + " did not answer within " + timeout
                        + "; last: " + lastReason);
            }
            try {
                byte[] answer = node.requestAsync(cluster, bytes, Duration.ofNanos(left)).get(left, TimeUnit.NANOSECONDS);
                GroupProtocol.Reply reply = GroupProtocol.decodeReply(answer);
                switch (reply) {
                    case GroupProtocol.Retry r -> lastReason = r.reason();
                    case GroupProtocol.Failed f -> throw new IllegalArgumentException(f.reason());
                    default -> {
                        return reply;
                    }
                }
            } catch (ExecutionException e) {
                lastReason = String.valueOf(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                lastReason = "timed out";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GroupUnavailableException("interrupted while waiting for group " + cluster);
            }
            try {
                Thread.sleep(BACKOFF);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GroupUnavailableException("interrupted while waiting for group " + cluster);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
