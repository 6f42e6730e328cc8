package io.iridium.relay.client;

import io.iridium.IridiumException;
import io.iridium.messaging.DeadlineWait;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayDecoder;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.RelayFrames;
import io.iridium.relay.wire.RelayProtocolException;
import io.iridium.relay.wire.WireLimits;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A connection to a relay (an Iridium node's, or Iris's own), with Iris's connection API.
 *
 * <p>{@link #connect} attaches a plain client; {@link #register} attaches a service of a cluster,
 * whose {@link IrisServiceHandler} then receives requests, broadcasts and tunnels. Both may
 * request, broadcast, publish, subscribe and open tunnels. Request ids come from a per-connection
 * counter starting at 0; tunnel ids from a second one, shared by outbound and inbound tunnels as
 * the protocol requires.
 *
 * <p>Failures are {@link IridiumException}s: {@code TimedOut} (the relay's timed-out reply, or no
 * tunnel within the timeout), {@code Remote} (the service's fault text), {@code Closed} (the
 * connection is closed or dropped). Thread-safe: every method may be called from any thread;
 * packets from concurrent callers never interleave.
 */
public final class IrisConnection implements AutoCloseable {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /**
     * Fails blocking requests the relay never answered, past its own timed-out reply, and times
     * handlers run on a reader thread ({@link ReaderServing}): a timer wheel shared by every
     * connection, where adding and cancelling a deadline wakes no thread.
     */
    private static final HashedWheelTimer DEADLINES = new HashedWheelTimer(
            Thread.ofPlatform().daemon().name("iris-connection-timers").factory(), ReaderServing.GRACE_MILLIS, TimeUnit.MILLISECONDS);
    /** The receive credit granted to the relay on each tunnel. */
    static final long TUNNEL_CREDIT = 16L << 20;

    private final Socket socket;
    private final InputStream in;
    private final FrameWriter writer;
    private final RelayDecoder<RelayFrame> decoder = RelayFrames.decoder(WireLimits.DEFAULT);
    private final IrisServiceHandler service;
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicLong tunnelIds = new AtomicLong();
    /** Requests being served (handlers running or replies not yet queued). */
    private final AtomicInteger serving = new AtomicInteger();
    private final Map<Long, CompletableFuture<byte[]>> requests = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RelayFrame.TunnelConfirm>> opening = new ConcurrentHashMap<>();
    private final Map<Long, IrisTunnel> tunnels = new ConcurrentHashMap<>();
    private final Map<String, IrisTopicHandler> subscriptions = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("iris-events").factory());
    private final ExecutorService broadcasts = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("iris-broadcasts").factory());
    private final CompletableFuture<Void> closedByRelay = new CompletableFuture<>();
    private final byte[] readBuffer = new byte[64 << 10];
    private final ReaderServing readerServing = new ReaderServing(DEADLINES, this::startReader);
    private volatile boolean open = true;

    private IrisConnection(Socket socket, IrisServiceHandler service) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.writer = new FrameWriter(socket.getOutputStream());
        this.service = service;
    }

    /** Connects to the relay on {@code 127.0.0.1:port} as a plain client. */
    public static IrisConnection connect(int port) {
        return connect(new InetSocketAddress("127.0.0.1", port));
    }

    /** Connects to the relay at {@code relay} as a plain client. */
    public static IrisConnection connect(InetSocketAddress relay) {
        return open(relay, "", null);
    }

    /** Connects to the relay on {@code 127.0.0.1:port} as a service of {@code cluster}. */
    public static IrisConnection register(int port, String cluster, IrisServiceHandler handler) {
        return register(new InetSocketAddress("127.0.0.1", port), cluster, handler);
    }

    /** Connects to the relay at {@code relay} as a service of {@code cluster}. */
    public static IrisConnection register(InetSocketAddress relay, String cluster, IrisServiceHandler handler) {
        if (cluster.isEmpty()) {
            throw new IllegalArgumentException("a service needs a cluster name");
        }
        return open(relay, cluster, handler);
    }

    /**
     * Connects and shakes hands within {@link #HANDSHAKE_TIMEOUT}. The deadline closes the socket
     * rather than timing the connect and the read: either would switch the socket to non-blocking
     * mode for good (see {@link FrameWriter}).
     */
    private static IrisConnection open(InetSocketAddress relay, String cluster, IrisServiceHandler handler) {
        Socket socket = new Socket();
        Timeout deadline = DEADLINES.newTimeout(expired -> closeQuietly(socket), HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        IrisConnection connection = null;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(relay);
            connection = new IrisConnection(socket, handler);
            connection.handshake(cluster);
            if (!deadline.cancel()) {
                throw new IOException("the deadline passed");
            }
            connection.startReader();
            return connection;
        } catch (IOException e) {
            deadline.cancel();
            closeQuietly(socket);
            if (connection != null) {
                connection.writer.close();
            }
            String why = deadline.isExpired() ? "no answer within " + HANDSHAKE_TIMEOUT.toMillis() + " ms" : e.getMessage();
            throw new UncheckedIOException("cannot attach to the relay at " + relay.getHostString() + ":" + relay.getPort()
                    + ": " + why, e);
        }
    }

    private void handshake(String cluster) throws IOException {
        writer.write(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, cluster), true);
        RelayFrame answer = readFrame();
        switch (answer) {
            case RelayFrame.Init init when Protocol.RELAY_MAGIC.equals(init.magic()) -> { }
            case RelayFrame.Deny deny -> throw new IOException("the relay denied the connection: " + deny.reason());
            case null -> throw new IOException("the relay closed the connection during the handshake");
            default -> throw new IOException("the relay answered the handshake with " + answer);
        }
    }

    private RelayFrame readFrame() throws IOException {
        try {
            while (true) {
                RelayFrame frame = decoder.next();
                if (frame != null) {
                    return frame;
                }
                int n = in.read(readBuffer);
                if (n < 0) {
                    return null;
                }
                decoder.feed(readBuffer, 0, n);
            }
        } catch (RelayProtocolException e) {
            throw new IOException("the relay broke the protocol: " + e.getMessage(), e);
        }
    }

    // ---- the API ----

    /**
     * Sends a request to one member of {@code cluster} and waits for its reply.
     *
     * @throws IridiumException.TimedOut when the relay reports a timeout
     * @throws IridiumException.Remote   when the service answered with a fault
     * @throws IridiumException.Closed   when the connection closed first
     */
    public byte[] request(String cluster, byte[] request, Duration timeout) {
        readerServing.handOffIfServingOn(Thread.currentThread());
        CompletableFuture<byte[]> reply = requestAsync(cluster, request, timeout);
        // The relay answers a request that timed out itself; the safety net covers a relay that
        // never does. The caller parks without a timeout of its own: a timed park of a virtual
        // thread costs two wake-ups of the JDK's timer thread per request.
        Timeout safetyNet = DEADLINES.newTimeout(expired -> reply.completeExceptionally(
                new IridiumException.TimedOut("the relay did not answer within " + timeout.toMillis() + " ms")),
                timeout.toMillis() + CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return reply.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IridiumException failure ? failure : new IridiumException.Closed(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IridiumException.Closed("interrupted");
        } finally {
            safetyNet.cancel();
        }
    }

    /** {@link #request} without blocking; the future fails with the same exceptions. */
    public CompletableFuture<byte[]> requestAsync(String cluster, byte[] request, Duration timeout) {
        long id = requestIds.getAndIncrement();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        requests.put(id, reply);
        if (!sendQuietly(new ClientFrame.Request(id, cluster, request, Math.max(0, timeout.toMillis())))) {
            requests.remove(id);
            reply.completeExceptionally(new IridiumException.Closed("connection closed"));
        }
        return reply;
    }

    /** Delivers {@code message} to every member of {@code cluster}; best effort. */
    public void broadcast(String cluster, byte[] message) {
        send(new ClientFrame.Broadcast(cluster, message));
    }

    /** Delivers {@code event} to every subscriber of {@code topic}; best effort. */
    public void publish(String topic, byte[] event) {
        send(new ClientFrame.Publish(topic, event));
    }

    /**
     * Subscribes to {@code topic}; events arrive at {@code handler} one at a time.
     *
     * @throws IllegalStateException when this connection already subscribes to it (the relay would drop the connection)
     */
    public void subscribe(String topic, IrisTopicHandler handler) {
        if (subscriptions.putIfAbsent(topic, handler) != null) {
            throw new IllegalStateException("already subscribed to '" + topic + "'");
        }
        send(new ClientFrame.Subscribe(topic));
    }

    /**
     * Unsubscribes from {@code topic}.
     *
     * @throws IllegalStateException when this connection does not subscribe to it
     */
    public void unsubscribe(String topic) {
        if (subscriptions.remove(topic) == null) {
            throw new IllegalStateException("not subscribed to '" + topic + "'");
        }
        send(new ClientFrame.Unsubscribe(topic));
    }

    /**
     * Opens a tunnel to one member of {@code cluster}.
     *
     * @throws IridiumException.TimedOut when no member accepted within {@code timeout}
     */
    public IrisTunnel tunnel(String cluster, Duration timeout) {
        readerServing.handOffIfServingOn(Thread.currentThread());
        long id = tunnelIds.getAndIncrement();
        CompletableFuture<RelayFrame.TunnelConfirm> confirm = new CompletableFuture<>();
        IrisTunnel tunnel = new IrisTunnel(this, id, WireLimits.CHUNK_LIMIT);
        tunnels.put(id, tunnel);
        opening.put(id, confirm);
        send(new ClientFrame.TunnelInit(id, cluster, Math.max(1, timeout.toMillis())));
        RelayFrame.TunnelConfirm answer;
        try {
            answer = confirm.get(timeout.toMillis() + CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            tunnels.remove(id);
            opening.remove(id);
            throw new IridiumException.Closed("no tunnel confirmation: " + e);
        }
        if (answer.timedOut()) {
            tunnels.remove(id);
            throw new IridiumException.TimedOut("no member of '" + cluster + "' accepted a tunnel within " + timeout.toMillis() + " ms");
        }
        tunnel.chunkLimit(answer.chunkLimit());
        send(new ClientFrame.TunnelAllow(id, TUNNEL_CREDIT));
        return tunnel;
    }

    /** The relay this connection is attached to. */
    public InetSocketAddress relayAddress() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return open;
    }

    /**
     * Closes gracefully: sends CLOSE, waits (briefly) for the relay's CLOSE and end of stream, then
     * closes the socket. Requests still in flight fail with {@code Closed}. Idempotent.
     */
    @Override
    public void close() {
        readerServing.handOffIfServingOn(Thread.currentThread());
        if (open && sendQuietly(new ClientFrame.Close())) {
            try {
                closedByRelay.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // dropped or slow: close the socket anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        shutdown(new IridiumException.Closed("connection closed"));
    }

    // ---- internals ----

    void send(ClientFrame frame) {
        if (!sendQuietly(frame)) {
            throw new IridiumException.Closed("connection closed");
        }
    }

    boolean sendQuietly(ClientFrame frame) {
        return sendQuietly(frame, writeNow(frame));
    }

    /** Sends {@code frame}, on this thread when {@code now} (see {@link FrameWriter}); false when closed. */
    private boolean sendQuietly(ClientFrame frame, boolean now) {
        if (!open) {
            return false;
        }
        try {
            writer.write(frame, now);
            return true;
        } catch (IOException e) {
            shutdown(new IridiumException.Closed("connection failed: " + e.getMessage()));
            return false;
        }
    }

    /**
     * Whether {@code frame} is written on the caller's thread rather than left to the writer
     * thread: a packet someone waits on, while it is the connection's only one of its kind in
     * flight. A lone request then reaches the socket with no hand-off; with many in flight, or for
     * one-way packets (publish, broadcast, tunnel data and credit), batching them in the writer
     * thread costs less than a system call each. Replies are decided where they are served
     * ({@link #serve}).
     */
    private boolean writeNow(ClientFrame frame) {
        return switch (frame) {
            case ClientFrame.Request request -> requests.size() <= 1;
            case ClientFrame.Reply reply -> false;
            case ClientFrame.Publish publish -> false;
            case ClientFrame.Broadcast broadcast -> false;
            case ClientFrame.TunnelTransfer transfer -> false;
            case ClientFrame.TunnelAllow allow -> false;
            default -> true;
        };
    }

    /**
     * Sends a tunnel's data chunk: on this thread when {@code now} (and nobody else is writing),
     * else through the writer thread, batched (see {@link FrameWriter}).
     */
    void sendTunnelData(ClientFrame.TunnelTransfer chunk, boolean now) {
        if (!sendQuietly(chunk, now)) {
            throw new IridiumException.Closed("connection closed");
        }
    }

    /** A tunnel's wait on {@code condition} until a deadline kept on this client's timer wheel. */
    DeadlineWait deadlineWait(Lock lock, Condition condition) {
        return new DeadlineWait(DEADLINES, lock, condition);
    }

    /** Called by a tunnel before it waits for the relay (credit, data, its close acknowledgement). */
    void beforeWaitingForRelay() {
        readerServing.handOffIfServingOn(Thread.currentThread());
    }

    void forget(IrisTunnel tunnel) {
        tunnels.remove(tunnel.id(), tunnel);
    }

    private void startReader() {
        Thread.ofPlatform().daemon().name("iris-connection-reader").start(this::readLoop);
    }

    /**
     * Reads and dispatches frames until the connection ends, or until another reader took over the
     * socket while this one served a request ({@link ReaderServing}).
     */
    private void readLoop() {
        IridiumException.Closed cause = new IridiumException.Closed("connection closed by the relay");
        try {
            RelayFrame frame;
            while ((frame = readFrame()) != null) {
                if (frame instanceof RelayFrame.Request request) {
                    if (!serveOrHandOn(request)) {
                        return;
                    }
                    continue;
                }
                if (frame instanceof RelayFrame.Close close) {
                    if (!close.reason().isEmpty()) {
                        cause = new IridiumException.Closed("connection dropped: " + close.reason());
                    }
                    closedByRelay.complete(null);
                    continue;
                }
                dispatch(frame);
            }
        } catch (IOException e) {
            if (open) {
                cause = new IridiumException.Closed("connection failed: " + e.getMessage());
            }
        }
        closedByRelay.complete(null);
        shutdown(cause);
    }

    private void dispatch(RelayFrame frame) {
        switch (frame) {
            case RelayFrame.Reply reply -> {
                CompletableFuture<byte[]> pending = requests.remove(reply.id());
                if (pending == null) {
                    return;
                }
                if (reply.timedOut()) {
                    pending.completeExceptionally(new IridiumException.TimedOut("request " + reply.id() + " timed out"));
                } else if (reply.reply() != null) {
                    pending.complete(reply.reply());
                } else {
                    pending.completeExceptionally(new IridiumException.Remote(reply.fault()));
                }
            }
            case RelayFrame.Request request -> { } // the read loop serves it
            case RelayFrame.Broadcast broadcast -> {
                if (service != null) {
                    broadcasts.execute(() -> service.handleBroadcast(broadcast.message()));
                }
            }
            case RelayFrame.Publish publish -> {
                // the relay delivers each event under the exact topic subscribed to (Iris topics are literal)
                IrisTopicHandler handler = subscriptions.get(publish.topic());
                if (handler != null) {
                    events.execute(() -> handler.handleEvent(publish.topic(), publish.event()));
                }
            }
            case RelayFrame.TunnelInit init -> acceptTunnel(init);
            case RelayFrame.TunnelConfirm confirm -> {
                CompletableFuture<RelayFrame.TunnelConfirm> pending = opening.remove(confirm.tunnelId());
                if (pending != null) {
                    pending.complete(confirm);
                }
            }
            case RelayFrame.TunnelAllow allow -> {
                IrisTunnel tunnel = tunnels.get(allow.tunnelId());
                if (tunnel != null) {
                    tunnel.onAllow(allow.space());
                }
            }
            case RelayFrame.TunnelTransfer transfer -> {
                IrisTunnel tunnel = tunnels.get(transfer.tunnelId());
                if (tunnel != null) {
                    tunnel.onChunk(transfer.sizeOrContinuation(), transfer.payload());
                }
            }
            case RelayFrame.TunnelClose close -> {
                IrisTunnel tunnel = tunnels.remove(close.tunnelId());
                if (tunnel != null) {
                    tunnel.onClose(close.reason());
                }
            }
            case RelayFrame.Init init -> { }
            case RelayFrame.Deny deny -> { }
            case RelayFrame.Close close -> { }
        }
    }

    /**
     * Serves a request that came alone (nothing else read with it, nothing else being served) on
     * this reader thread, its reply written here too; one of a burst gets a virtual thread, and its
     * reply is batched.
     *
     * @return false when another reader took over the socket meanwhile
     */
    private boolean serveOrHandOn(RelayFrame.Request request) {
        if (service == null) {
            return true;
        }
        boolean alone = serving.getAndIncrement() == 0 && decoder.buffered() == 0;
        if (alone && readerServing.enabled()) {
            return readerServing.serve(() -> serve(request, true));
        }
        Thread.ofVirtual().start(() -> serve(request, alone));
        return true;
    }

    private void serve(RelayFrame.Request request, boolean alone) {
        ClientFrame answer;
        try {
            byte[] reply = service.handleRequest(request.request());
            answer = ClientFrame.Reply.success(request.id(), reply == null ? new byte[0] : reply);
        } catch (Exception e) {
            answer = ClientFrame.Reply.failure(request.id(), e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        }
        sendQuietly(answer, alone && serving.get() == 1);
        serving.decrementAndGet();
    }

    private void acceptTunnel(RelayFrame.TunnelInit init) {
        long id = tunnelIds.getAndIncrement();
        IrisTunnel tunnel = new IrisTunnel(this, id, init.chunkLimit());
        tunnels.put(id, tunnel);
        sendQuietly(new ClientFrame.TunnelConfirm(init.buildId(), id));
        sendQuietly(new ClientFrame.TunnelAllow(id, TUNNEL_CREDIT));
        if (service == null) {
            tunnel.close();
            return;
        }
        Thread.ofVirtual().name("iris-tunnel-" + id).start(() -> service.handleTunnel(tunnel));
    }

    private void shutdown(IridiumException.Closed cause) {
        boolean wasOpen = open;
        open = false;
        writer.close();
        closeQuietly(socket);
        requests.values().forEach(f -> f.completeExceptionally(cause));
        requests.clear();
        opening.values().forEach(f -> f.completeExceptionally(cause));
        opening.clear();
        tunnels.values().forEach(t -> t.onClose(cause.getMessage()));
        tunnels.clear();
        events.shutdown();
        broadcasts.shutdown();
        if (wasOpen && service != null && !cause.getMessage().equals("connection closed")) {
            service.handleDrop(cause);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
