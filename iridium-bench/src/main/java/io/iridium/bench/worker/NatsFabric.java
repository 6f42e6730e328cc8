package io.iridium.bench.worker;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;

/**
 * NATS as a {@link Fabric}, through the official Java client (jnats) and a {@code nats-server}
 * the harness started on 127.0.0.1. Subscriptions use a dispatcher with no pending limits (so
 * the client never drops as a slow consumer); requests use the client's shared reply inbox;
 * the server side answers on the request's reply subject.
 */
final class NatsFabric implements Fabric {
    static final String SUBJECT = "bench.events";
    static final String SERVICE = "bench.service";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final Connection connection;

    NatsFabric(String url, String name) throws Exception {
        if (!url.startsWith("nats://127.0.0.1:") && !url.startsWith("tls://127.0.0.1:")) {
            throw new IllegalArgumentException("the benchmark talks to 127.0.0.1 only, got " + url);
        }
        this.url = url;
        Options options = new Options.Builder()
                .server(url)
                .connectionName(name)
                .noReconnect()
                .maxMessagesInOutgoingQueue(1_000_000)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        this.connection = Nats.connect(options);
    }

    @Override
    public String endpoint() {
        return url;
    }

    @Override
    public void subscribe(Sink sink) throws Exception {
        Dispatcher dispatcher = connection.createDispatcher(message -> sink.accept(message.getData()));
        dispatcher.setPendingLimits(-1, -1);
        dispatcher.subscribe(SUBJECT);
        connection.flush(TIMEOUT);
    }

    @Override
    public void publish(byte[] message) {
        connection.publish(SUBJECT, message);
    }

    @Override
    public void flush() throws Exception {
        connection.flush(TIMEOUT);
    }

    @Override
    public void serve() throws Exception {
        Dispatcher dispatcher = connection.createDispatcher(
                request -> connection.publish(request.getReplyTo(), request.getData()));
        dispatcher.setPendingLimits(-1, -1);
        dispatcher.subscribe(SERVICE);
        connection.flush(TIMEOUT);
    }

    @Override
    public void awaitServer() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (connection.request(SERVICE, new byte[1], Duration.ofSeconds(1)) != null) {
                    return;
                }
            } catch (RuntimeException noRespondersYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("no NATS responder on '" + SERVICE + "' within " + TIMEOUT);
    }

    @Override
    public byte[] request(byte[] message) throws Exception {
        Message reply = connection.request(SERVICE, message, TIMEOUT);
        if (reply == null) {
            throw new IllegalStateException("NATS request timed out after " + TIMEOUT);
        }
        return reply.getData();
    }

    @Override
    public void pipeline(byte[] message, int outstanding, long count) throws InterruptedException {
        RequestChains.run(outstanding, count, TIMEOUT, () -> connection.requestWithTimeout(SERVICE, message, TIMEOUT));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
