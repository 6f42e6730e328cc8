package io.iridium.messaging;

import io.iridium.IridiumException;
import io.iridium.Node;
import io.iridium.NodeId;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.ServiceLimits;
import io.iridium.Subscription;
import io.iridium.TopicHandler;
import io.iridium.TopicLimits;
import io.iridium.TopicReader;
import io.iridium.routing.Subjects;
import io.iridium.routing.TopicTrie;
import io.iridium.transport.SendResult;
import io.iridium.wire.BodySlab;
import io.iridium.wire.WireMessage;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging layer of one node: requests, broadcasts and publish/subscribe over the data
 * plane, with the contract of the design's §2.
 *
 * <pre>
 *   request ─▶ routes.servers(cluster) minus tried ─▶ Balancer (P2C) ─▶ local queue or Request frame
 *      ▲                                                                     │
 *      └──── Refused (not a member, overloaded) / back-pressure: try another ┘
 *            Reply / Failed ─▶ complete     member failed ─▶ OutcomeUnknown     deadline ─▶ TimedOut
 * </pre>
 *
 * <p><b>At most once.</b> A request is re-sent only when the member said it did not run it
 * ({@code Refused}) or it never left this node (back-pressure); a member that fails while holding
 * a request yields {@link IridiumException.OutcomeUnknown}. The deadline travels in the frame as
 * the time remaining, and a member does not start a request whose deadline has passed.
 *
 * <p><b>Ordering.</b> Broadcasts and events travel over the single connection of each pair and
 * are queued per service or subscription in arrival order, so with a concurrency of one they are
 * handled FIFO per sender.
 *
 * <p><b>Requests.</b> The request lifecycle (choosing, retrying, completing) is {@link RequestCore}'s,
 * a pure core that this class drives under one lock from the request path, inbound frames,
 * {@link #memberFailed} and a deadline timer; futures complete after that lock is released.
 *
 * <p>Thread safety: public methods may be called from any thread; inbound frames arrive on Netty
 * event loops; handlers run on virtual threads through {@link WorkQueue}s.
 */
public final class Messenger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Messenger.class);
    /** Drops are all counted; the log samples them, at most one line per 10 s. */
    private static final io.iridium.transport.RateLimitedLog drops = new io.iridium.transport.RateLimitedLog(log, 10_000);

    private final NodeId self;
    private final FrameSender sender;
    private final Supplier<RouteTable> routes;
    private final Runnable interestChanged;
    private final MessagingMetrics metrics;
    private final Map<String, LocalService> services = new ConcurrentHashMap<>();
    private final AtomicReference<TopicTrie<LocalSubscription>> subscriptions = new AtomicReference<>(new TopicTrie<>());
    private final Map<LocalSubscription, Boolean> subscriptionSet = new ConcurrentHashMap<>();
    /** Open subscriptions that read events in place: while there are none, bodies are not packed. */
    private final AtomicInteger inPlaceReaders = new AtomicInteger();
    /** Guards {@link #requests} and {@link #completed}: the request lifecycle runs under this one lock. */
    private final Object requestLock = new Object();
    /** The pure request lifecycle; this class drives it. Guarded by {@link #requestLock}. */
    private final RequestCore requests;
    /** Outcomes the core reported, delivered to callers once the lock is released. Guarded by {@link #requestLock}. */
    private final List<Completed> completed = new ArrayList<>();
    /** Local requests for non-blocking services, run once the lock is released. Guarded by {@link #requestLock}. */
    private final List<Runnable> inlineRuns = new ArrayList<>();
    /** The callers of pending requests, by request id. */
    private final Map<Long, Caller> callers = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    /** Events gathered per event loop thread during a read burst; see {@link #onInboundFrame}. */
    private final ThreadLocal<EventBatch> eventBatches = ThreadLocal.withInitial(EventBatch::new);
    private final HandlerThreads handlers = new HandlerThreads();
    private final HashedWheelTimer timer = new HashedWheelTimer(
            Thread.ofPlatform().daemon().name("iridium-deadlines").factory(), 10, TimeUnit.MILLISECONDS);
    private final Tunnels tunnels;
    private volatile Node node;
    /** The largest message body that fits a frame beside its headers and names. */
    private final int maxBodyBytes;
    /** Bytes of a frame kept for the type, ids and names (a cluster or topic is at most 1 KiB). */
    private static final int FRAME_HEADROOM = 2_048;
    private volatile boolean closed;
    /**
     * The topic most recently validated by {@link #publish}: a publisher repeats the same
     * {@code String}, and validating it again costs a scan of its characters per message. Racy by
     * design: a stale read only validates again, and a {@code String} is safely published.
     */
    private String lastValidTopic;

    /**
     * @param self            this node's identity
     * @param sender          the data plane
     * @param routes          the current routing snapshot (read per call)
     * @param interestChanged told when local services or subscriptions change, to re-advertise
     * @param maxFrameBytes   the data plane's largest frame: bodies beyond it are refused at the call
     */
    public Messenger(NodeId self, FrameSender sender, Supplier<RouteTable> routes, Runnable interestChanged,
            io.micrometer.core.instrument.MeterRegistry registry, int maxFrameBytes) {
        this.self = self;
        this.maxBodyBytes = maxFrameBytes - FRAME_HEADROOM;
        this.sender = sender;
        this.routes = routes;
        this.interestChanged = interestChanged;
        this.metrics = new MessagingMetrics(registry);
        this.tunnels = new Tunnels(self, sender, routes, cluster -> {
            LocalService service = services.get(cluster);
            return service == null || service.closed ? null : service.handler;
        }, handlers, metrics, timer);
        this.requests = new RequestCore(self, routes, System::nanoTime,
                (java.util.random.RandomGenerator) () -> ThreadLocalRandom.current().nextLong(), new RequestCore.Outbox() {
            @Override
            public SendResult send(Target to, WireMessage.Request request) {
                SendResult result = sender.send(to, request);
                if (result == SendResult.BACK_PRESSURE) {
                    metrics.backPressure.increment();
                }
                return result;
            }

            @Override
            public boolean isConnected(NodeId node) {
                return sender.isConnected(node);
            }
        }, this::runLocally, (id, outcome) -> completed.add(new Completed(id, outcome)));
    }

    /** The node handed to {@link ServiceHandler#init}; set once the node is up. */
    public void attach(Node node) {
        this.node = node;
    }

    // ---- what this node advertises --------------------------------------------------------------

    /** Clusters served here with their capacity (request concurrency). */
    public Map<String, Integer> localServices() {
        Map<String, Integer> result = new TreeMap<>();
        services.forEach((cluster, service) -> result.put(cluster, service.limits.requestConcurrency()));
        return result;
    }

    /** Topic patterns subscribed here. */
    public Set<String> localPatterns() {
        Set<String> result = new TreeSet<>();
        subscriptionSet.keySet().forEach(s -> result.add(s.pattern));
        return result;
    }

    // ---- services ------------------------------------------------------------------------------

    /** Registers a service; see {@link Node#register}. */
    public Service register(String cluster, ServiceHandler handler, ServiceLimits limits) {
        Subjects.validateCluster(cluster);
        java.util.Objects.requireNonNull(handler, "handler");
        java.util.Objects.requireNonNull(limits, "limits");
        ensureOpen();
        LocalService service = new LocalService(cluster, handler, limits);
        if (services.putIfAbsent(cluster, service) != null) {
            throw new IllegalStateException("this node already serves cluster '" + cluster + "'; close that service first");
        }
        Node current = node;
        if (current != null) {
            handler.init(current);
        }
        interestChanged.run();
        return service;
    }

    /** Sends a request; see {@link Node#requestAsync}. The future completes on an internal thread. */
    public CompletableFuture<byte[]> request(String cluster, byte[] body, Duration timeout) {
        return request(cluster, null, body, timeout);
    }

    /**
     * Sends a request to {@code member} alone, or to any member of the cluster when it is null;
     * see {@link Node#requestAsync(String, NodeId, byte[], Duration)}.
     */
    public CompletableFuture<byte[]> request(String cluster, NodeId member, byte[] body, Duration timeout) {
        Subjects.validateCluster(cluster);
        checkBody(body);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        long id = nextRequestId.getAndIncrement();
        long startNanos = System.nanoTime();
        Caller caller = new Caller(startNanos + timeout.toNanos());
        if (closed) {
            caller.future.completeExceptionally(new IridiumException.Closed("the node is closed"));
            return caller.future;
        }
        metrics.requestsSent.increment();
        metrics.bytesOut(MessagingMetrics.REQUEST, body.length);
        callers.put(id, caller);
        long nowMillis = millis(startNanos);
        long deadlineMillis = nowMillis + Math.max(1, (timeout.toNanos() + 999_999) / 1_000_000);
        step(core -> {
            core.submit(id, cluster, member, body, deadlineMillis, nowMillis);
            return null;
        });
        // armed after submitting, so a timer firing early never meets an unknown id; a completion
        // meanwhile is seen below (the drain removes the caller before reading its timer)
        try {
            caller.deadline = timer.newTimeout(t -> step(core -> {
                core.expire(id);
                return null;
            }), timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!callers.containsKey(id)) {
                caller.deadline.cancel();
            }
        } catch (IllegalStateException stopped) {
            // the timer stopped: the node closed meanwhile, and the request fails as closed below
        }
        if (closed) { // close() may have failed what was pending before this request was submitted
            failPending();
        }
        return caller.future;
    }

    /** The live members serving {@code cluster} in the current routing view; see {@link Node#servers}. */
    public List<Target> servers(String cluster) {
        Subjects.validateCluster(cluster);
        return routes.get().servers(cluster);
    }

    /** Broadcasts to every current member of {@code cluster}; see {@link Node#broadcast}. */
    public void broadcast(String cluster, byte[] body) {
        Subjects.validateCluster(cluster);
        checkBody(body);
        ensureOpen();
        metrics.bytesOut(MessagingMetrics.BROADCAST, body.length);
        fanOut(routes.get().servers(cluster), new WireMessage.Broadcast(cluster, body));
    }

    /** Opens a tunnel; see {@link Node#tunnel}. */
    public io.iridium.Tunnel tunnel(String cluster, Duration timeout) {
        Subjects.validateCluster(cluster);
        java.util.Objects.requireNonNull(timeout, "timeout");
        ensureOpen();
        return tunnels.open(cluster, timeout);
    }

    // ---- publish / subscribe -------------------------------------------------------------------

    /** Subscribes; see {@link Node#subscribe}. */
    public Subscription subscribe(String pattern, TopicHandler handler, TopicLimits limits) {
        java.util.Objects.requireNonNull(handler, "handler");
        return subscribe(pattern, handler, null, limits);
    }

    /** Subscribes a reader of events in place; see {@link Node#subscribeInPlace}. */
    public Subscription subscribeInPlace(String pattern, TopicReader reader, TopicLimits limits) {
        java.util.Objects.requireNonNull(reader, "reader");
        return subscribe(pattern, null, reader, limits);
    }

    /** Subscribes {@code handler} or {@code reader}, whichever is given. */
    private Subscription subscribe(String pattern, TopicHandler handler, TopicReader reader, TopicLimits limits) {
        Subjects.validatePattern(pattern);
        java.util.Objects.requireNonNull(limits, "limits");
        ensureOpen();
        LocalSubscription subscription = new LocalSubscription(pattern, handler, reader, limits);
        if (reader != null) {
            inPlaceReaders.incrementAndGet(); // before it can match: its events must arrive packed
        }
        subscriptionSet.put(subscription, Boolean.TRUE);
        subscriptions.updateAndGet(trie -> trie.with(pattern, subscription));
        interestChanged.run();
        return subscription;
    }

    /**
     * Whether some subscription here reads events in place, so that the decoders should pack event
     * bodies into slabs; without one, a body decoded into an array of its own goes to handlers as
     * it is, with no second copy.
     */
    public boolean readsEventsInPlace() {
        return inPlaceReaders.get() > 0;
    }

    /** Publishes to every matching subscription in the network; see {@link Node#publish}. */
    public void publish(String topic, byte[] body) {
        if (topic != lastValidTopic) {
            Subjects.validateSubject(topic);
            lastValidTopic = topic;
        }
        checkBody(body);
        ensureOpen();
        metrics.bytesOut(MessagingMetrics.PUBLISH, body.length);
        fanOut(routes.get().subscribers(topic), new WireMessage.Publish(topic, body));
    }

    /**
     * Sends {@code message} (a publish or a broadcast) to each target, delivering it here for the
     * target that is this node. Targets are indexed, not iterated: the route table's lists are
     * immutable random-access lists, and this runs for every message a publisher sends.
     */
    private void fanOut(List<Target> targets, WireMessage message) {
        int backPressured = 0;
        for (int i = 0, n = targets.size(); i < n; i++) {
            Target target = targets.get(i);
            if (target.id().equals(self)) {
                deliverLocally(message);
                continue;
            }
            SendResult result = sender.send(target, message);
            if (result == SendResult.BACK_PRESSURE) {
                backPressured++;
                metrics.backPressure.increment();
            }
        }
        if (backPressured > 0) {
            throw new IridiumException.BackPressure(backPressured + " of " + targets.size()
                    + " recipients have full outbound queues; the message was not sent to them");
        }
    }

    // ---- inbound ---------------------------------------------------------------------------------

    /**
     * Handles a messaging frame that a connection read, on its event loop: events are gathered
     * per subscription until {@link #onReadComplete()}, then handed on as one task per
     * subscription instead of one per event. Everything else is as {@link #onFrame}.
     */
    public void onInboundFrame(NodeId from, WireMessage message) {
        if (message instanceof WireMessage.Publish publish) {
            EventBatch batch = eventBatches.get();
            batch.received(publish.length());
            dispatch(publish, batch);
            if (batch.events >= EventBatch.MAX_EVENTS) {
                batch.flush();
            }
            return;
        }
        if (message instanceof WireMessage.TunnelData data) {
            tunnels.onFrame(from, data, eventBatches.get().readerWakeups);
            return;
        }
        onFrame(from, message);
    }

    /**
     * The read burst on this event loop ended: hands the events it gathered to their
     * subscriptions, and wakes the tunnel readers it brought messages.
     */
    public void onReadComplete() {
        EventBatch batch = eventBatches.get();
        if (batch.events > 0 || batch.received > 0) {
            batch.flush();
        }
        batch.readerWakeups.wakeAll();
    }

    /** Handles a messaging frame from {@code from}; called on a Netty event loop. */
    public void onFrame(NodeId from, WireMessage message) {
        switch (message) {
            case WireMessage.Request request -> onRequest(from, request);
            case WireMessage.Reply reply -> onReply(from, reply);
            case WireMessage.Refused refused -> onRefused(from, refused);
            case WireMessage.Failed failed -> onFailed(from, failed);
            case WireMessage.Broadcast broadcast -> {
                metrics.bytesIn(MessagingMetrics.BROADCAST, broadcast.body().length);
                deliverBroadcast(broadcast.cluster(), broadcast.body());
            }
            case WireMessage.Publish publish -> {
                metrics.bytesIn(MessagingMetrics.PUBLISH, publish.length());
                dispatch(publish, null);
            }
            case WireMessage.TunnelOpen t -> tunnels.onFrame(from, t);
            case WireMessage.TunnelAccept t -> tunnels.onFrame(from, t);
            case WireMessage.TunnelRefuse t -> tunnels.onFrame(from, t);
            case WireMessage.TunnelData t -> tunnels.onFrame(from, t);
            case WireMessage.TunnelCredit t -> tunnels.onFrame(from, t);
            case WireMessage.TunnelEnd t -> tunnels.onFrame(from, t);
            case WireMessage.TunnelAbort t -> tunnels.onFrame(from, t);
            default -> log.debug("ignoring {} from {}", message.getClass().getSimpleName(), from);
        }
    }

    /** The data-plane connection to {@code peer} closed: tunnels over it end (frames may be lost). Never blocks. */
    public void onDisconnected(NodeId peer) {
        tunnels.peerLost(peer, "the connection to node " + peer + " was lost");
    }

    /** A member failed or left: requests it held end as outcome-unknown. */
    public void memberFailed(NodeId member) {
        step(core -> {
            core.memberDown(member);
            return null;
        });
        tunnels.peerLost(member, "member " + member + " failed or left");
    }

    private void onRequest(NodeId from, WireMessage.Request request) {
        metrics.bytesIn(MessagingMetrics.REQUEST, request.body().length);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
        LocalService service = services.get(request.cluster());
        if (service == null || service.closed) {
            answer(from, new WireMessage.Refused(request.id(), WireMessage.Refused.Reason.NOT_MEMBER), deadline);
            return;
        }
        boolean admitted = service.offerRequest(request.body(), deadline, outcome -> answer(from, switch (outcome) {
            case Outcome.Replied r when r.body().length > maxBodyBytes -> new WireMessage.Failed(request.id(),
                    "the reply of " + r.body().length + " bytes exceeds the largest that fits a frame (" + maxBodyBytes + " bytes)");
            case Outcome.Replied r -> new WireMessage.Reply(request.id(), r.body());
            case Outcome.Threw t -> new WireMessage.Failed(request.id(), WireMessage.fitText(t.message()));
            case Outcome.Expired e -> new WireMessage.Refused(request.id(), WireMessage.Refused.Reason.EXPIRED);
        }, deadline));
        if (!admitted) {
            answer(from, new WireMessage.Refused(request.id(), WireMessage.Refused.Reason.OVERLOADED), deadline);
        }
    }

    /**
     * Sends a reply or refusal to a requester. Under back-pressure it is retried from a virtual
     * thread until the request's deadline, never dropped silently and never blocking an event loop.
     */
    private void answer(NodeId to, WireMessage answer, long deadlineNanos) {
        if (sender.reply(to, answer) != SendResult.BACK_PRESSURE) {
            return;
        }
        metrics.backPressure.increment();
        handlers.execute(() -> {
            while (System.nanoTime() - deadlineNanos < 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                if (sender.reply(to, answer) != SendResult.BACK_PRESSURE) {
                    return;
                }
            }
            metrics.lateReplies.increment(); // the requester has given up by now
        });
    }

    private void onReply(NodeId from, WireMessage.Reply reply) {
        if (step(core -> core.onReply(from, reply.id(), reply.body()))) {
            metrics.bytesIn(MessagingMetrics.REPLY, reply.body().length);
        } else {
            metrics.lateReplies.increment();
        }
    }

    private void onFailed(NodeId from, WireMessage.Failed failed) {
        if (!step(core -> core.onFailed(from, failed.id(), failed.message()))) {
            metrics.lateReplies.increment();
        }
    }

    private void onRefused(NodeId from, WireMessage.Refused refused) {
        long nowMillis = millis(System.nanoTime());
        if (step(core -> core.onRefused(from, refused.id(), refused.reason(), nowMillis))) {
            metrics.refusals.increment();
        }
    }

    /** The core's {@link RequestCore.LocalRunner}: runs a request on this node's own service. Called under the lock. */
    private boolean runLocally(long id, String cluster, byte[] body, long deadlineMillis) {
        LocalService service = services.get(cluster);
        Caller caller = callers.get(id);
        if (service == null || service.closed || caller == null) {
            return false;
        }
        java.util.function.Consumer<Outcome> done = outcome -> step(core -> switch (outcome) {
            case Outcome.Replied r -> core.onReply(self, id, r.body());
            case Outcome.Threw t -> core.onFailed(self, id, t.message());
            case Outcome.Expired e -> core.onExpiredLocally(id);
        });
        if (service.inline) {
            // never under the lock: a handler's stage may complete at once, which steps the core again
            Runnable release = service.holdForInline(body.length);
            if (release == null) {
                return false;
            }
            inlineRuns.add(() -> service.handle(body, caller.deadlineNanos, release, done));
            return true;
        }
        return service.offerRequest(body, caller.deadlineNanos, done);
    }

    /**
     * Runs one input of the request core under its lock, then hands the outcomes it reported to
     * their callers outside the lock (a caller's continuation never runs under it).
     */
    private <T> T step(java.util.function.Function<RequestCore, T> input) {
        T result;
        List<Completed> done;
        List<Runnable> runs;
        synchronized (requestLock) {
            result = input.apply(requests);
            if (completed.isEmpty() && inlineRuns.isEmpty()) {
                return result;
            }
            done = completed.isEmpty() ? List.of() : List.copyOf(completed);
            completed.clear();
            runs = inlineRuns.isEmpty() ? List.of() : List.copyOf(inlineRuns);
            inlineRuns.clear();
        }
        done.forEach(this::deliver);
        runs.forEach(Runnable::run);
        return result;
    }

    /** Completes a caller's future with the core's outcome, counting failures by kind. */
    private void deliver(Completed done) {
        Caller caller = callers.remove(done.id());
        if (caller == null) {
            return;
        }
        Timeout deadline = caller.deadline;
        if (deadline != null) {
            deadline.cancel();
        }
        switch (done.outcome()) {
            case RequestCore.Outcome.Replied r -> caller.future.complete(r.body());
            case RequestCore.Outcome.Failed f -> {
                switch (f.failure()) {
                    case IridiumException.Remote e -> metrics.remoteErrors.increment();
                    case IridiumException.TimedOut e -> metrics.timeouts.increment();
                    case IridiumException.OutcomeUnknown e -> metrics.outcomeUnknown.increment();
                    case IridiumException.NoMembers e -> metrics.noMembers.increment();
                    case IridiumException.Overloaded e -> metrics.overloaded.increment();
                    default -> { }
                }
                caller.future.completeExceptionally(f.failure());
            }
        }
    }

    private void failPending() {
        step(core -> {
            core.failAll(new IridiumException.Closed("the node closed before a reply arrived"));
            return null;
        });
    }

    /** Milliseconds on the monotonic clock: the request core's time. */
    private static long millis(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    private void deliverLocally(WireMessage message) {
        switch (message) {
            case WireMessage.Publish publish -> dispatch(publish, null);
            case WireMessage.Broadcast broadcast -> deliverBroadcast(broadcast.cluster(), broadcast.body());
            default -> throw new IllegalArgumentException("not fanned out: " + message.getClass().getSimpleName());
        }
    }

    private void deliverBroadcast(String cluster, byte[] body) {
        LocalService service = services.get(cluster);
        if (service == null || !service.offerBroadcast(body)) {
            metrics.dropped(MessagingMetrics.BROADCAST);
            drops.warn("dropped a broadcast to '{}': {} (counted in iridium.messages.dropped)", cluster,
                    service == null ? "this node does not serve it" : "over the service's limits");
        }
    }

    /**
     * Hands {@code publish}'s event to every matching local subscription: gathered into
     * {@code batch} when there is one, else offered at once. Handlers get the body as an array of
     * their own (one copy, shared by them all, when it is packed in a slab); readers get it in
     * place, each holding a hold on its slab. The publish's one hold serves the first reader; the
     * others' are taken before any reader can run, and it is released here when no reader takes it.
     */
    private void dispatch(WireMessage.Publish publish, EventBatch batch) {
        Set<LocalSubscription> matching = subscriptions.get().matchShared(publish.topic());
        BodySlab slab = publish.slab();
        int readers = 0;
        boolean handlers = false;
        for (LocalSubscription subscription : matching) {
            if (subscription.reader != null) {
                readers++;
            } else {
                handlers = true;
            }
        }
        if (slab != null && readers > 1) {
            slab.retain(readers - 1);
        }
        byte[] own = handlers ? publish.body() : null;
        String topic = publish.topic();
        for (LocalSubscription subscription : matching) {
            boolean inPlace = subscription.reader != null;
            byte[] array = inPlace ? publish.array() : own;
            int offset = inPlace ? publish.offset() : 0;
            BodySlab held = inPlace ? slab : null;
            if (batch != null) {
                batch.add(subscription, topic, array, offset, publish.length(), held);
            } else {
                deliverEvent(subscription, topic, array, offset, publish.length(), held);
            }
        }
        if (slab != null && readers == 0) {
            slab.release(1);
        }
    }

    /** Offers one event to its subscription; a dropped one gives up its hold on {@code slab}. */
    private void deliverEvent(LocalSubscription subscription, String topic, byte[] array, int offset, int length,
            BodySlab slab) {
        if (!subscription.offer(topic, array, offset, length, slab)) {
            if (slab != null) {
                slab.release(1);
            }
            droppedEvent(subscription, topic);
        }
    }

    private void droppedEvent(LocalSubscription subscription, String topic) {
        metrics.dropped(MessagingMetrics.PUBLISH);
        drops.warn("dropped an event on '{}' for subscription '{}': over its limits (counted in iridium.messages.dropped)",
                topic, subscription.pattern);
    }

    /**
     * The events one event loop thread read in its current burst, per subscription, in arrival
     * order. Flushed at the burst's end (or at {@link #MAX_EVENTS}): each subscription gets its
     * events as one task, so the hand-off to its handler thread is paid once per burst. A batch
     * that does not fit the subscription's memory limit falls back to admitting event by event,
     * so the limit drops exactly the events it dropped before.
     */
    private final class EventBatch {
        /**
         * Events gathered before a flush in the middle of a read burst. A 64 KiB read holds about
         * 1,600 small events; one task for them all (not one per 256, as before) halved the
         * hand-offs to handler threads and gave 16 B pub/sub about 1.25× (BENCHMARKS.md).
         */
        static final int MAX_EVENTS = 2048;
        /**
         * A subscription whose handler runs on several threads gets its events in tasks of at
         * most this many, so that a burst is still spread over its threads.
         */
        static final int PARALLEL_TASK_EVENTS = 256;

        private final Map<LocalSubscription, PendingEvents> pending = new java.util.IdentityHashMap<>();
        /** Tunnel readers this burst brought messages, woken at its end. */
        final ReaderWakeups readerWakeups = new ReaderWakeups();
        int events;
        /** Publishes read since the last flush, and their bodies' bytes: counted in the metrics per batch. */
        int received;
        private long receivedBytes;

        void received(int bodyBytes) {
            received++;
            receivedBytes += bodyBytes;
        }

        void add(LocalSubscription subscription, String topic, byte[] array, int offset, int length, BodySlab slab) {
            PendingEvents queued = pending.computeIfAbsent(subscription, s -> new PendingEvents());
            queued.add(topic, array, offset, length, slab);
            events++;
            if (subscription.events.concurrency() > 1 && queued.size() >= PARALLEL_TASK_EVENTS) {
                handOn(subscription, queued);
            }
        }

        void flush() {
            for (Map.Entry<LocalSubscription, PendingEvents> entry : pending.entrySet()) {
                handOn(entry.getKey(), entry.getValue());
            }
            if (pending.size() > 8) {
                pending.clear(); // do not keep every subscription this thread ever saw
            }
            events = 0;
            if (received > 0) {
                metrics.bytesIn(MessagingMetrics.PUBLISH, received, receivedBytes);
                received = 0;
                receivedBytes = 0;
            }
        }
    }

    /** Hands a subscription's gathered events to its handler queue as one task (or one by one when they do not fit together). */
    private void handOn(LocalSubscription subscription, PendingEvents queued) {
        int size = queued.size();
        if (size == 0) {
            return;
        }
        if (size > 1 && subscription.offerAll(queued.run(), queued.bytes())) {
            queued.clear();
            return;
        }
        for (int i = 0; i < size; i++) {
            deliverEvent(subscription, queued.topic(i), queued.array(i), queued.offset(i), queued.length(i), queued.slab(i));
        }
        queued.clear();
    }

    private void checkBody(byte[] body) {
        java.util.Objects.requireNonNull(body, "body");
        if (body.length > maxBodyBytes) {
            throw new IllegalArgumentException("a message of " + body.length + " bytes exceeds the largest that fits a frame ("
                    + maxBodyBytes + " bytes; raise Config.maxFrameBytes, or use a tunnel for large data)");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IridiumException.Closed("the node is closed");
        }
    }

    /** Fails what is pending and stops the handler threads after running work finishes. */
    @Override
    public void close() {
        closed = true;
        tunnels.close();
        services.values().forEach(LocalService::close);
        subscriptionSet.keySet().forEach(LocalSubscription::close);
        failPending();
        timer.stop();
        handlers.shutdown();
    }

    // ---- local services and subscriptions --------------------------------------------------------

    /** How a local request ended. */
    sealed interface Outcome {
        record Replied(byte[] body) implements Outcome {}

        record Threw(String message) implements Outcome {}

        /** The outcome of a handler that failed with {@code failure} (unwrapped from a completion). */
        static Outcome threw(Throwable failure) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return new Threw(cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage());
        }

        record Expired() implements Outcome {}
    }

    /** A service registered on this node. */
    private final class LocalService implements Service {
        final String cluster;
        final ServiceHandler handler;
        final ServiceLimits limits;
        final WorkQueue requests;
        final WorkQueue broadcasts;
        /** Whether requests run on the delivering thread (a {@link io.iridium.NonBlockingServiceHandler}). */
        final boolean inline;
        volatile boolean closed;

        LocalService(String cluster, ServiceHandler handler, ServiceLimits limits) {
            this.cluster = cluster;
            this.handler = handler;
            this.inline = handler instanceof io.iridium.NonBlockingServiceHandler;
            this.limits = limits;
            this.requests = new WorkQueue("requests of " + cluster, limits.requestConcurrency(), limits.requestMemoryBytes(), handlers, timer);
            this.broadcasts = new WorkQueue("broadcasts of " + cluster, limits.broadcastConcurrency(), limits.broadcastMemoryBytes(), handlers, timer);
        }

        /** Holds a request's bytes for an inline run; null (counted, and the handler told) when over the limit. */
        Runnable holdForInline(int bodyBytes) {
            Runnable release = requests.hold(bodyBytes);
            if (release == null) {
                refused();
            }
            return release;
        }

        boolean offerRequest(byte[] body, long deadlineNanos, java.util.function.Consumer<Outcome> done) {
            if (inline) {
                Runnable release = holdForInline(body.length);
                if (release != null) {
                    handle(body, deadlineNanos, release, done);
                }
                return release != null;
            }
            boolean admitted = requests.offerHeld(body.length, release -> handle(body, deadlineNanos, release, done));
            if (!admitted) {
                refused();
            }
            return admitted;
        }

        private void refused() {
            metrics.refusedLocally.increment();
            drop(new IridiumException.Overloaded("request refused: service '" + cluster + "' is over its limits"));
        }

        /**
         * Calls the handler (unless the deadline passed) on this thread, its bytes held by
         * {@code release}, and reports its outcome once its stage completes.
         */
        void handle(byte[] body, long deadlineNanos, Runnable release, java.util.function.Consumer<Outcome> done) {
            if (System.nanoTime() - deadlineNanos > 0) {
                release.run();
                metrics.expired.increment();
                done.accept(new Outcome.Expired());
                return;
            }
            CompletionStage<byte[]> reply;
            try {
                long remainingNanos = Math.max(1, deadlineNanos - System.nanoTime());
                reply = handler.handleRequestAsync(body, Duration.ofNanos(remainingNanos));
                java.util.Objects.requireNonNull(reply, "handleRequestAsync returned null");
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((bytes, failure) -> {
                release.run();
                done.accept(failure == null
                        ? new Outcome.Replied(bytes == null ? new byte[0] : bytes)
                        : Outcome.threw(failure));
            });
        }

        /** Tells the handler of a drop on a handler thread: user code never runs on an event loop. */
        private void drop(IridiumException reason) {
            handlers.execute(() -> {
                try {
                    handler.handleDrop(reason);
                } catch (RuntimeException e) {
                    log.warn("handleDrop of '{}' threw; ignored", cluster, e);
                }
            });
        }

        boolean offerBroadcast(byte[] body) {
            boolean admitted = broadcasts.offer(body.length, () -> handler.handleBroadcast(body));
            if (!admitted) {
                drop(new IridiumException.Overloaded("broadcast dropped: service '" + cluster + "' is over its limits"));
            }
            return admitted;
        }

        @Override
        public String cluster() {
            return cluster;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            services.remove(cluster, this);
            requests.close();
            broadcasts.close();
            if (!Messenger.this.closed) {
                interestChanged.run();
            }
        }
    }

    /**
     * A subscription made on this node, with a {@link TopicHandler}, which gets each body as an
     * array of its own, or a {@link TopicReader}, which reads it in place.
     */
    private final class LocalSubscription implements Subscription, EventRun.Reader {
        final String pattern;
        /** Null for a reader's subscription. */
        final TopicHandler handler;
        /** Null for a handler's subscription. */
        final TopicReader reader;
        final WorkQueue events;
        volatile boolean closed;

        LocalSubscription(String pattern, TopicHandler handler, TopicReader reader, TopicLimits limits) {
            this.pattern = pattern;
            this.handler = handler;
            this.reader = reader;
            this.events = new WorkQueue("events of " + pattern, limits.concurrency(), limits.memoryBytes(), handlers, timer);
        }

        /**
         * Shows one event to the handler or reader. A handler's body is always a whole array of
         * its own (see {@link #dispatch}); a reader sees a read-only view of the range.
         */
        @Override
        public void read(String topic, byte[] array, int offset, int length) {
            if (reader != null) {
                reader.readEvent(topic, ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer());
            } else {
                handler.handleEvent(topic, array);
            }
        }

        @Override
        public void failed(String topic, RuntimeException failure) {
            log.warn("events of {}: handler failed on '{}'", pattern, topic, failure);
        }

        /** Admits one event as a task; false, admitting nothing, when it does not fit. */
        boolean offer(String topic, byte[] array, int offset, int length, BodySlab slab) {
            return events.offer(length, () -> {
                try {
                    read(topic, array, offset, length);
                } finally {
                    if (slab != null) {
                        slab.release(1);
                    }
                }
            });
        }

        /**
         * Admits {@code run} as one task, holding its bytes and per-event overhead; false,
         * admitting nothing, when they do not fit together.
         */
        boolean offerAll(EventRun run, long bodyBytes) {
            long overhead = (long) (run.size() - 1) * WorkQueue.TASK_OVERHEAD_BYTES;
            return events.offerStrictly(bodyBytes + overhead, () -> run.deliver(this));
        }

        @Override
        public String pattern() {
            return pattern;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (subscriptionSet.remove(this) != null && reader != null) {
                inPlaceReaders.decrementAndGet();
            }
            subscriptions.updateAndGet(trie -> trie.without(pattern, this));
            events.close();
            if (!Messenger.this.closed) {
                interestChanged.run();
            }
        }
    }

    /** The caller of a pending request: its future and deadline timer. */
    private static final class Caller {
        final long deadlineNanos;
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        volatile Timeout deadline;

        Caller(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** An outcome the core reported, to deliver outside the lock. */
    private record Completed(long id, RequestCore.Outcome outcome) {}
}
