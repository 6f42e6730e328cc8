package io.iridium;

/**
 * A service handler that never blocks, for adapters that only hand requests on (the Iris relay
 * passes each to a connection and returns): its {@link #handleRequestAsync} is called directly
 * on the thread that delivers the request, an Iridium I/O thread or the requester's own, instead
 * of on a virtual thread, which saves a thread hand-off per request.
 *
 * <p>The contract is strict, since a block here stalls a connection or the caller:
 * {@code handleRequestAsync} must return at once, without waiting on locks, I/O or other
 * requests, and its stage may complete on any thread. The service's memory limit still bounds
 * the requests it holds; its concurrency limit does not apply (nothing runs after the method
 * returns). Broadcasts and tunnels are delivered on virtual threads as for any handler.
 * Application code should implement {@link ServiceHandler} and override
 * {@link ServiceHandler#handleRequestAsync} instead: that keeps it off the I/O threads.
 */
public interface NonBlockingServiceHandler extends ServiceHandler {}
