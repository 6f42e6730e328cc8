package io.iridium.bench.worker;

import java.nio.ByteBuffer;

/**
 * One messaging system as the workloads see it: the few operations the benchmark measures, each
 * implemented in the system's own idiomatic, efficient way. A fabric plays one side: the passive
 * side ({@link #subscribe}, {@link #serve}) starts first and tells the harness where it can be
 * reached ({@link #endpoint()}); the active side connects to it and publishes or requests.
 *
 * <p>Every implementation addresses 127.0.0.1 explicitly and nothing else.
 */
public interface Fabric extends AutoCloseable {

    /** Where the passive side can be reached, in the form the active side's arguments take. */
    String endpoint();

    /** Delivers every message published on the benchmark's subject to {@code sink}. */
    void subscribe(Sink sink) throws Exception;

    /** Publishes one message on the benchmark's subject (blocking, never dropping locally). */
    void publish(byte[] message) throws Exception;

    /** Makes everything sent before it leave this process (a no-op where publish already did). */
    void flush() throws Exception;

    /** Answers every request with the request's own bytes. */
    void serve() throws Exception;

    /** Waits until a request would reach a server (routing known, connection open). */
    void awaitServer() throws Exception;

    /** One request, waiting for its reply. */
    byte[] request(byte[] message) throws Exception;

    /**
     * Sends {@code count} requests keeping {@code outstanding} of them in flight, and returns when
     * every reply has arrived.
     */
    void pipeline(byte[] message, int outstanding, long count) throws Exception;

    /** A line on the system's own view of its peers, for diagnosing lost messages (empty if none). */
    default String peerView() {
        return "";
    }

    @Override
    void close();

    /**
     * Receives the subscriber's messages: as an array, or, from a system that can show a message
     * in place, as a read-only view valid during the call.
     */
    interface Sink {
        void accept(byte[] message);

        void accept(ByteBuffer message);
    }
}
