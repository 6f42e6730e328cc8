package io.iridium.bench.worker;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.IridiumException;
import io.iridium.Node;
import io.iridium.ServiceHandler;
import io.iridium.TopicLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Iridium as a {@link Fabric}: one node per process, bound to 127.0.0.1 on a port the harness
 * chose, secured by a network key the harness generated for the run (so that no other node on the
 * machine, dev-mode ones included, can join), with multicast off and the passive side's address
 * as the active side's seed. With {@link #plaintext}, the nodes use the core's dev-mode-only
 * plaintext connections instead (and the development key for membership datagrams), bound outside
 * the dev port range so that loopback discovery does not run and only explicit seeds connect them.
 */
final class IridiumFabric implements Fabric {
    static final String TOPIC = "bench.events";
    static final String CLUSTER = "bench";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * A worker JVM's system property that overrides {@link Config#ioSpin()} (in microseconds; 0
     * turns polling off), for comparing with and without: set it through
     * {@code IRIDIUM_BENCH_WORKER_OPTS}.
     */
    static final String IO_SPIN_PROPERTY = "iridium.bench.ioSpinMicros";

    private final Node node;

    IridiumFabric(Path keyFile, int port, List<String> seeds, String name) {
        this(Config.builder().keyFile(keyFile), port, seeds, name);
    }

    /** A node whose data-plane connections are not encrypted (dev mode only, loopback only). */
    static IridiumFabric plaintext(int port, List<String> seeds, String name) {
        return new IridiumFabric(Config.builder().dev(true).plaintext(true), port, seeds, name);
    }

    private IridiumFabric(Config.Builder config, int port, List<String> seeds, String name) {
        Long spinMicros = Long.getLong(IO_SPIN_PROPERTY);
        if (spinMicros != null) {
            config.ioSpin(Duration.ofNanos(spinMicros * 1000));
        }
        config.bind(new Endpoint("127.0.0.1", port))
                .multicast(false)
                .name(name)
                .seeds(seeds.stream().map(seed -> Endpoint.parse(seed, 0)).toList());
        this.node = Iridium.start(config.build());
    }

    Node node() {
        return node;
    }

    @Override
    public String endpoint() {
        return node.address().toString();
    }

    @Override
    public void subscribe(Sink sink) {
        // read in place: the reader looks at one byte, the kind of reader subscribeInPlace is for
        node.subscribeInPlace(TOPIC, (topic, event) -> sink.accept(event), new TopicLimits(1, 1L << 30));
    }

    @Override
    public void publish(byte[] message) {
        while (true) {
            try {
                node.publish(TOPIC, message);
                return;
            } catch (IridiumException.BackPressure full) {
                LockSupport.parkNanos(20_000); // the outbound queue is full: wait for it to drain
            }
        }
    }

    @Override
    public void flush() {
        // publish hands messages to the transport, which writes them out on its own
    }

    @Override
    public void serve() {
        node.register(CLUSTER, new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                return request;
            }
        });
    }

    @Override
    public void awaitServer() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (node.servers(CLUSTER).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no server for cluster '" + CLUSTER + "' appeared in " + TIMEOUT);
            }
            Thread.sleep(10);
        }
        node.request(CLUSTER, new byte[1], TIMEOUT);
    }

    /** Waits until this node sees another live member that serves the benchmark cluster. */
    void awaitServerMembership() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (node.servers(CLUSTER).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no server for cluster '" + CLUSTER + "' appeared in " + TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public byte[] request(byte[] message) {
        return node.request(CLUSTER, message, TIMEOUT);
    }

    @Override
    public void pipeline(byte[] message, int outstanding, long count) throws InterruptedException {
        // the continuation runs where the reply is completed (as jnats's does on its own thread),
        // with no hand-off to a virtual thread, and issues the next request from there
        RequestChains.run(outstanding, count, TIMEOUT, () -> node.requestAsync(CLUSTER, message, TIMEOUT, Runnable::run));
    }

    /** Each member this node knows and its state, e.g. {@code pub-1=ALIVE sub1-2=DEAD}. */
    @Override
    public String peerView() {
        StringBuilder view = new StringBuilder("members:");
        node.members().forEach(member -> view.append(' ').append(member.name()).append('=').append(member.state()));
        return view.toString();
    }

    @Override
    public void close() {
        node.close();
    }
}
