package io.iridium.bench.worker;

import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * ZeroMQ (JeroMQ, pure Java) as a {@link Fabric}, with the socket types a ZeroMQ user would pick
 * for each pattern: SUB binds and PUB connects (so one publisher can fan out to several bound
 * subscribers); the server is a ROUTER that echoes every frame back, which serves both REQ
 * clients (sequential latency) and DEALER clients (pipelined requests, one thread keeping the
 * window full). Request sockets have no high-water mark (0, unbounded). Publish/subscribe
 * sockets queue at least the measured run's whole message count on each side, and up to about
 * {@link #QUEUE_BUDGET_BYTES} of messages, so that a measured burst is queued, never dropped, as
 * Iridium's and NATS's subscribers here queue rather than drop, while the open-ended warm-up
 * cannot queue without bound: a publisher that outran its subscriber for the 5 s warm-up once
 * queued gigabytes of 1 KiB messages and ran out of memory. Warm-up messages past the mark are
 * dropped, which only shortens the warm-up backlog. (A mark of exactly the run's count dropped
 * up to 10% of a measured fan-out run of 16 B messages, so small messages get the budget's
 * larger mark.) ZeroMQ sockets are single-threaded: every socket here is used by the thread that
 * created it.
 */
final class ZmqFabric implements Fabric {
    private static final int HIGH_WATER_MARK = 0; // unbounded
    /** Extra room above a run's message count in the publish/subscribe queues. */
    private static final int QUEUE_MARGIN = 1_000;
    /** About how many bytes of messages a publish/subscribe queue may hold, when that is more than a run. */
    static final long QUEUE_BUDGET_BYTES = 256L << 20;
    /** What JeroMQ holds per queued message beside its payload, roughly. */
    private static final int MESSAGE_OVERHEAD_BYTES = 64;

    private final ZContext context = new ZContext(1);
    private final List<String> peers;
    private final int pubSubHighWaterMark;
    private ZMQ.Socket publisher;
    private ZMQ.Socket requester;
    private ZMQ.Socket dealer;
    private volatile String endpoint = "";

    /**
     * @param peers the passive sides' endpoints ({@code tcp://127.0.0.1:PORT}); empty on a passive side
     * @param count the messages a measured run publishes (0 when the workload publishes none)
     * @param size  their payload's size in bytes (0 when unknown)
     */
    ZmqFabric(List<String> peers, long count, long size) {
        long run = Math.max(0, count) + QUEUE_MARGIN;
        long budget = QUEUE_BUDGET_BYTES / (Math.max(0, size) + MESSAGE_OVERHEAD_BYTES);
        this.pubSubHighWaterMark = (int) Math.min(Integer.MAX_VALUE, Math.max(run, budget));
        for (String peer : peers) {
            if (!peer.startsWith("tcp://127.0.0.1:")) {
                throw new IllegalArgumentException("the benchmark talks to 127.0.0.1 only, got " + peer);
            }
        }
        this.peers = peers;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void subscribe(Sink sink) {
        ZMQ.Socket socket = context.createSocket(SocketType.SUB);
        socket.setRcvHWM(pubSubHighWaterMark);
        socket.subscribe(new byte[0]);
        int port = socket.bindToRandomPort("tcp://127.0.0.1");
        endpoint = "tcp://127.0.0.1:" + port;
        Thread receiver = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    byte[] message = socket.recv(0);
                    if (message == null) {
                        return;
                    }
                    sink.accept(message);
                }
            } catch (org.zeromq.ZMQException closed) {
                // the context was terminated: the worker is stopping
            }
        }, "zmq-sub");
        receiver.setDaemon(true);
        receiver.start();
    }

    @Override
    public void publish(byte[] message) {
        if (publisher == null) {
            publisher = context.createSocket(SocketType.PUB);
            publisher.setSndHWM(pubSubHighWaterMark);
            peers.forEach(publisher::connect);
        }
        publisher.send(message, 0);
    }

    @Override
    public void flush() {
        // PUB sockets write from ZeroMQ's I/O thread; the subscriber counts what arrives
    }

    @Override
    public void serve() {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.setRcvHWM(HIGH_WATER_MARK);
        router.setSndHWM(HIGH_WATER_MARK);
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        endpoint = "tcp://127.0.0.1:" + port;
        Thread echo = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    byte[] frame = router.recv(0);
                    if (frame == null) {
                        return;
                    }
                    boolean more = router.hasReceiveMore();
                    router.send(frame, more ? ZMQ.SNDMORE : 0);
                }
            } catch (org.zeromq.ZMQException closed) {
                // the context was terminated: the worker is stopping
            }
        }, "zmq-router");
        echo.setDaemon(true);
        echo.start();
    }

    @Override
    public void awaitServer() {
        requester = context.createSocket(SocketType.REQ);
        requester.connect(peers.get(0));
        requester.send(new byte[1], 0);
        if (requester.recv(0) == null) {
            throw new IllegalStateException("the ZeroMQ server at " + peers.get(0) + " did not answer");
        }
    }

    @Override
    public byte[] request(byte[] message) {
        requester.send(message, 0);
        return requester.recv(0);
    }

    @Override
    public void pipeline(byte[] message, int outstanding, long count) {
        if (dealer == null) {
            dealer = context.createSocket(SocketType.DEALER);
            dealer.setSndHWM(HIGH_WATER_MARK);
            dealer.setRcvHWM(HIGH_WATER_MARK);
            dealer.connect(peers.get(0));
        }
        long sent = 0;
        long received = 0;
        while (sent < count && sent < outstanding) {
            dealer.send(message, 0);
            sent++;
        }
        while (received < count) {
            if (dealer.recv(0) == null) {
                throw new IllegalStateException("the ZeroMQ DEALER socket closed");
            }
            received++;
            if (sent < count) {
                dealer.send(message, 0);
                sent++;
            }
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
