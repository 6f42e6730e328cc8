package io.iridium.relay.client;

/**
 * What a service registered through {@link IrisConnection#register} does with what is addressed
 * to its cluster, as Iris's {@code ServiceHandler}. Requests run concurrently on virtual threads;
 * broadcasts run one at a time, in arrival order; each tunnel gets its own virtual thread.
 *
 * <p>A request that arrives alone (nothing else being served) runs on the connection's reader
 * thread instead, which saves a thread wake-up per round trip. Handlers need not care: one that
 * blocks, or waits on its own connection, has the socket handed to a new reader (at once for a
 * request, tunnel or close on the same connection; otherwise after about 10 ms), and from then on
 * that connection's requests all run on virtual threads.
 */
public interface IrisServiceHandler {

    /** A broadcast to the cluster. */
    default void handleBroadcast(byte[] message) {}

    /**
     * A request load-balanced to this member.
     *
     * @throws Exception to answer with a fault carrying the exception's message
     */
    default byte[] handleRequest(byte[] request) throws Exception {
        throw new UnsupportedOperationException("this service does not handle requests");
    }

    /** An inbound tunnel; the handler owns it and should close it. */
    default void handleTunnel(IrisTunnel tunnel) {
        tunnel.close();
    }

    /** The relay dropped the connection (with the reason it gave, if any). */
    default void handleDrop(Throwable reason) {}
}
