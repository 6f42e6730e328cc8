package io.iridium.env;

import java.util.random.RandomGenerator;

/**
 * What a sans-I/O protocol core may know of the world: the time on this node's clock and a
 * source of randomness. The runtime supplies the wall clock and a secure random source; the
 * simulator supplies virtual time (with per-node skew) and one seeded generator, so a run is
 * reproducible from its seed.
 *
 * <p>Cores never read {@code System.currentTimeMillis()}, never call {@code new Random()}, and
 * never open sockets or start threads: everything they do leaves through an outbox the driver
 * gave them.
 */
public interface Environment {

    /** Milliseconds on this node's clock. Monotonic within a run; may be skewed against others. */
    long nowMillis();

    /** The random source for every random choice the core makes. */
    RandomGenerator random();
}
