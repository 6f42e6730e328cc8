package io.iridium.messaging;

import io.iridium.IridiumException;
import io.iridium.NodeId;
import io.iridium.transport.SendResult;
import io.iridium.wire.WireMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The request lifecycle of one node, without I/O: the pending requests this node sent, which
 * member each is at, and how each ends. A driver feeds it inputs ({@link #submit}, {@link #onReply},
 * {@link #onFailed}, {@link #onRefused}, {@link #memberDown}, {@link #tick}, ...) with the current
 * time, and it acts through three small outputs: an {@link Outbox} for request frames, a
 * {@link LocalRunner} for requests this node serves itself, and a {@link Completions} sink that
 * learns each request's {@link Outcome}.
 *
 * <pre>
 *   submit ─▶ servers(cluster) minus tried ─▶ Balancer (P2C) ─▶ LocalRunner or Outbox.send
 *      ▲                                                                  │
 *      └── Refused NOT_MEMBER / OVERLOADED, send BACK_PRESSURE / CLOSED ──┘
 *   Reply ─▶ Replied     Failed ─▶ Remote     Refused EXPIRED ─▶ wait for the deadline
 *   memberDown(target) ─▶ OutcomeUnknown      no candidate ─▶ NoMembers / Overloaded / BackPressure
 *   tick past the deadline ─▶ TimedOut
 * </pre>
 *
 * <p><b>Algorithm and invariants.</b> A request is sent to one member at a time, chosen by the
 * {@link Balancer} among the current servers of its cluster that it has not tried yet. It moves on
 * to another member only when the one tried said it did not run it ({@code Refused NOT_MEMBER} or
 * {@code OVERLOADED}, or a local service over its limits) or the frame never left this node
 * ({@code BACK_PRESSURE}, {@code CLOSED}): so a request runs <em>at most once</em> in the network,
 * and a member that fails while holding one yields {@link IridiumException.OutcomeUnknown}. Each
 * request is completed <em>exactly once</em>: it leaves the pending map as its one
 * {@link Completions#complete} is called, and every later input about it (a late reply, a second
 * refusal, a member failing) finds nothing and is ignored. Each attempt counts in the balancer
 * from {@code started} to <em>one</em> {@code finished} or {@code abandoned}: the attempt's member is
 * held in {@code inFlight} and cleared by whichever input ends it first; answers from any other
 * member than the one currently holding the request are ignored.
 *
 * <p>Not thread-safe: the driver confines it to one thread or guards it with one lock. It reads
 * no clock and draws no random numbers of its own: time is passed in (milliseconds, any origin,
 * monotonic), the balancer's clock and random generator are injected. Outputs may be called
 * while an input is being handled; an output must not call back into the core synchronously.
 */
public final class RequestCore {

    /** How a request ended. */
    public sealed interface Outcome {
        /** The member replied with {@code body}. */
        record Replied(byte[] body) implements Outcome {
            public Replied {
                Objects.requireNonNull(body, "body");
            }
        }

        /** The request failed with a typed failure (its class is the kind, with a message). */
        record Failed(IridiumException failure) implements Outcome {
            public Failed {
                Objects.requireNonNull(failure, "failure");
            }
        }
    }

    /** Sends request frames; never blocks, back-pressure is a result. */
    public interface Outbox {
        SendResult send(Target to, WireMessage.Request request);

        /** Whether a connection to {@code node} is open: if not, the latency of the attempt is not a sample. */
        default boolean isConnected(NodeId node) {
            return true;
        }
    }

    /** Learns how each request ended, exactly once per request. */
    @FunctionalInterface
    public interface Completions {
        void complete(long id, Outcome outcome);
    }

    /**
     * Runs a request on this node. Returns whether it was admitted; if so, the driver later reports
     * the result through {@link #onReply}, {@link #onFailed} (with this node as {@code from}) or
     * {@link #onExpiredLocally}, never synchronously from within this call.
     */
    @FunctionalInterface
    public interface LocalRunner {
        boolean run(long id, String cluster, byte[] body, long deadlineMillis);
    }

    private final NodeId self;
    private final Supplier<RouteTable> routes;
    private final Balancer balancer;
    private final LongSupplier balancerClock;
    private final RandomGenerator random;
    private final Outbox outbox;
    private final LocalRunner local;
    private final Completions completions;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();

    /**
     * @param self          this node
     * @param routes        the current routes, read at each attempt
     * @param balancerClock the balancer's clock (nanoseconds, monotonic); latencies are measured on it
     * @param random        the source of the balancer's choices
     */
    public RequestCore(NodeId self, Supplier<RouteTable> routes, LongSupplier balancerClock, RandomGenerator random,
            Outbox outbox, LocalRunner local, Completions completions) {
        this.self = Objects.requireNonNull(self, "self");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.balancerClock = Objects.requireNonNull(balancerClock, "balancerClock");
        this.balancer = new Balancer(balancerClock);
        this.random = Objects.requireNonNull(random, "random");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.local = Objects.requireNonNull(local, "local");
        this.completions = Objects.requireNonNull(completions, "completions");
    }

    // ---- inputs ----------------------------------------------------------------------------------

    /** Starts request {@code id} (unique among pending ones) with an absolute deadline. */
    public void submit(long id, String cluster, byte[] body, long deadlineMillis, long nowMillis) {
        submit(id, cluster, null, body, deadlineMillis, nowMillis);
    }

    /**
     * Starts request {@code id} for {@code member} alone when it is not null: no other member of
     * the cluster is tried, and the request fails as {@link IridiumException.NoMembers} when that
     * member does not serve the cluster.
     */
    public void submit(long id, String cluster, NodeId member, byte[] body, long deadlineMillis, long nowMillis) {
        Pending request = new Pending(id, cluster, member, body, deadlineMillis);
        if (pending.putIfAbsent(id, request) != null) {
            throw new IllegalArgumentException("request " + id + " is already pending");
        }
        attempt(request, nowMillis);
    }

    /** A reply from {@code from}. Returns false when no pending request expects it (late or stray). */
    public boolean onReply(NodeId from, long id, byte[] body) {
        Pending request = answered(from, id);
        if (request == null) {
            return false;
        }
        endAttempt(request, from, true);
        complete(request, new Outcome.Replied(body));
        return true;
    }

    /** The handler at {@code from} threw. Returns false when no pending request expects it. */
    public boolean onFailed(NodeId from, long id, String message) {
        Pending request = answered(from, id);
        if (request == null) {
            return false;
        }
        endAttempt(request, from, true);
        complete(request, new Outcome.Failed(new IridiumException.Remote(message)));
        return true;
    }

    /** This node's own service found the deadline passed before the request ran. */
    public boolean onExpiredLocally(long id) {
        Pending request = answered(self, id);
        if (request == null) {
            return false;
        }
        endAttempt(request, self, true);
        complete(request, new Outcome.Failed(new IridiumException.TimedOut("the deadline passed before the request ran")));
        return true;
    }

    /**
     * {@code from} did not run the request. Returns whether this refusal ended the current attempt
     * (a refusal for an attempt that already ended is ignored).
     */
    public boolean onRefused(NodeId from, long id, WireMessage.Refused.Reason reason, long nowMillis) {
        Pending request = pending.get(id);
        if (request == null || !endAttempt(request, from, true)) {
            return false;
        }
        switch (reason) {
            case OVERLOADED -> request.overloaded = true;
            case NOT_MEMBER -> { }
            case EXPIRED -> {
                return true; // our own deadline comes at about the same time
            }
        }
        attempt(request, nowMillis);
        return true;
    }

    /** {@code member} failed or left: requests it holds end as outcome-unknown. */
    public void memberDown(NodeId member) {
        List<Pending> held = new ArrayList<>();
        for (Pending request : pending.values()) {
            if (member.equals(request.target)) {
                held.add(request);
            }
        }
        for (Pending request : held) {
            endAttempt(request, member, false);
            complete(request, new Outcome.Failed(new IridiumException.OutcomeUnknown(
                    "member " + member + " of '" + request.cluster + "' failed while handling the request")));
        }
        balancer.forget(member);
    }

    /** Times out every request whose deadline is at or before {@code nowMillis}. */
    public void tick(long nowMillis) {
        List<Pending> due = new ArrayList<>();
        for (Pending request : pending.values()) {
            if (request.deadlineMillis <= nowMillis) {
                due.add(request);
            }
        }
        due.forEach(this::timeOut);
    }

    /** Times out request {@code id} now (its deadline timer fired), if it is still pending. */
    public void expire(long id) {
        Pending request = pending.get(id);
        if (request != null) {
            timeOut(request);
        }
    }

    /** Fails every pending request with {@code failure} (the node is closing). */
    public void failAll(IridiumException failure) {
        for (Pending request : List.copyOf(pending.values())) {
            complete(request, new Outcome.Failed(failure));
        }
    }

    /** The number of requests pending. */
    public int pendingCount() {
        return pending.size();
    }

    /** The earliest deadline among pending requests, or {@link Long#MAX_VALUE} when none is pending. */
    public long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Pending request : pending.values()) {
            earliest = Math.min(earliest, request.deadlineMillis);
        }
        return earliest;
    }

    /** Requests outstanding at {@code member} by the balancer's count: for tests. */
    int outstanding(NodeId member) {
        return balancer.outstanding(member);
    }

    // ---- the lifecycle ---------------------------------------------------------------------------

    /** The pending request that an answer from {@code from} concerns, or null. */
    private Pending answered(NodeId from, long id) {
        Pending request = pending.get(id);
        return request == null || !from.equals(request.target) ? null : request;
    }

    /** Sends {@code request} to one more member it has not tried, or fails it. */
    private void attempt(Pending request, long nowMillis) {
        while (pending.get(request.id) == request) {
            long remaining = request.deadlineMillis - nowMillis;
            if (remaining <= 0) {
                timeOut(request);
                return;
            }
            List<Target> candidates = Target.excluding(request.eligible(routes.get().servers(request.cluster)), request.tried);
            if (candidates.isEmpty()) {
                fail(request);
                return;
            }
            Target target = balancer.choose(candidates, random);
            request.tried.add(target.id());
            request.target = target.id();
            request.sentAtNanos = balancerClock.getAsLong();
            request.inFlight = target.id();
            balancer.started(target.id());
            if (target.id().equals(self)) {
                request.measurable = true;
                if (local.run(request.id, request.cluster, request.body, request.deadlineMillis)) {
                    return;
                }
                endAttempt(request, self, false);
                request.overloaded = true;
                continue;
            }
            request.measurable = outbox.isConnected(target.id());
            int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining));
            SendResult result = outbox.send(target, new WireMessage.Request(request.id, request.cluster, timeoutMillis, request.body));
            if (result == SendResult.QUEUED) {
                return;
            }
            endAttempt(request, target.id(), false);
            if (result == SendResult.BACK_PRESSURE) {
                request.backPressured = true;
            }
        }
    }

    /**
     * Ends the balancer's accounting of the attempt at {@code member}, once.
     *
     * @param measured whether the attempt's latency is a sample (an answer came back)
     * @return whether this call ended the attempt
     */
    private boolean endAttempt(Pending request, NodeId member, boolean measured) {
        if (request.inFlight == null || !request.inFlight.equals(member)) {
            return false;
        }
        request.inFlight = null;
        if (measured) {
            balancer.finished(member, balancerClock.getAsLong() - request.sentAtNanos, request.measurable);
        } else {
            balancer.abandoned(member);
        }
        return true;
    }

    private void timeOut(Pending request) {
        NodeId target = request.target;
        if (request.inFlight != null) {
            endAttempt(request, request.inFlight, false);
        }
        complete(request, new Outcome.Failed(new IridiumException.TimedOut("no reply from '" + request.cluster
                + "' within the deadline" + (target == null ? "" : " (sent to " + target + ")"))));
    }

    private void fail(Pending request) {
        IridiumException failure;
        if (request.tried.isEmpty()) {
            failure = new IridiumException.NoMembers(request.only == null
                    ? "no live member serves cluster '" + request.cluster + "'"
                    : "member " + request.only + " does not serve cluster '" + request.cluster + "'");
        } else if (request.backPressured && !request.overloaded) {
            failure = new IridiumException.BackPressure("every member of '" + request.cluster + "' has a full outbound queue");
        } else if (request.overloaded) {
            failure = new IridiumException.Overloaded("every member of '" + request.cluster
                    + "' refused the request: over its limits");
        } else {
            failure = new IridiumException.NoMembers("no live member of '" + request.cluster + "' accepted the request");
        }
        complete(request, new Outcome.Failed(failure));
    }

    /** Removes {@code request} and reports its outcome: the one place a request completes. */
    private void complete(Pending request, Outcome outcome) {
        if (pending.remove(request.id, request)) {
            completions.complete(request.id, outcome);
        }
    }

    /** A request waiting for its outcome. */
    private static final class Pending {
        final long id;
        final String cluster;
        /** The only member this request may go to, or null for any member of the cluster. */
        final NodeId only;
        final byte[] body;
        final long deadlineMillis;
        final Set<NodeId> tried = new HashSet<>();
        /** The member last sent to: answers from others are ignored. */
        NodeId target;
        /** The member of the attempt whose load the balancer still counts, or null between attempts. */
        NodeId inFlight;
        long sentAtNanos;
        boolean overloaded;
        boolean backPressured;
        /** Whether the current attempt's latency reflects the member's load. */
        boolean measurable;

        Pending(long id, String cluster, NodeId only, byte[] body, long deadlineMillis) {
            this.id = id;
            this.cluster = cluster;
            this.only = only;
            this.body = body;
            this.deadlineMillis = deadlineMillis;
        }

        /** The servers of the cluster this request may be sent to. */
        List<Target> eligible(List<Target> servers) {
            if (only == null) {
                return servers;
            }
            for (Target target : servers) {
                if (target.id().equals(only)) {
                    return List.of(target);
                }
            }
            return List.of();
        }
    }
}
