package io.iridium.messaging;

import io.iridium.NodeId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Chooses the member that gets a request: the power of two choices over the live candidates,
 * scored by peak-EWMA load (Finagle's least-loaded / peak-EWMA family).
 *
 * <p>For each member it keeps the number of outstanding requests and an exponentially weighted
 * moving average of reply latency that jumps up at once to a slower sample (the "peak") and decays
 * towards faster ones with a time constant of {@link #DECAY_NANOS}; without new samples the
 * estimate decays towards zero, so no member stays starved by one slow reply; but while a
 * member holds requests and finishes none, its estimate is at least the time since it last made
 * progress, so a member that stopped answering is soon avoided. A member's cost is
 * {@code ewma × (outstanding + 1)}; of two members drawn at random, the cheaper wins. Two random
 * draws avoid the herd behaviour of always picking the global minimum from stale data, at the
 * cost of one comparison.
 *
 * <p>Thread-safe: counters are atomics, and a lost EWMA update under a race only blurs the
 * average slightly.
 */
final class Balancer {
    /** How quickly latency memory fades: samples older than about this weigh little. */
    static final long DECAY_NANOS = 1_000_000_000L;
    /** The assumed latency of a member never measured: optimistic, so new members get tried. */
    private static final long INITIAL_LATENCY_NANOS = 1_000_000L;

    private final Map<NodeId, Load> loads = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier clock;

    /** A balancer on the system's monotonic clock. */
    Balancer() {
        this(System::nanoTime);
    }

    /** A balancer reading time (nanoseconds, monotonic) from {@code clock}: tests pass a fake one. */
    Balancer(java.util.function.LongSupplier clock) {
        this.clock = clock;
    }

    /** Picks one of {@code candidates} (not empty). */
    Target choose(List<Target> candidates, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        Target a = candidates.get(first);
        Target b = candidates.get(second);
        long now = clock.getAsLong();
        return cost(a.id(), now) <= cost(b.id(), now) ? a : b;
    }

    /** A request was sent to {@code member}. */
    void started(NodeId member) {
        Load load = load(member);
        if (load.outstanding.incrementAndGet() == 1) {
            load.progressNanos.set(clock.getAsLong());
        }
    }

    /**
     * A request to {@code member} ended after {@code latencyNanos} (a reply or a refusal).
     *
     * @param representative false when the latency includes one-off costs (opening the
     *                       connection): the request then counts as ended but is not measured
     */
    void finished(NodeId member, long latencyNanos, boolean representative) {
        Load load = load(member);
        load.outstanding.decrementAndGet();
        load.progressNanos.set(clock.getAsLong());
        if (representative) {
            load.observe(latencyNanos, clock.getAsLong());
        }
    }

    /** A request to {@code member} ended without a measurement (timeout, failure). */
    void abandoned(NodeId member) {
        Load load = load(member);
        load.outstanding.decrementAndGet();
        load.progressNanos.set(clock.getAsLong());
    }

    /** Forgets a member that failed or left. */
    void forget(NodeId member) {
        loads.remove(member);
    }

    /** The number of requests outstanding at {@code member}: for tests and metrics. */
    int outstanding(NodeId member) {
        Load load = loads.get(member);
        return load == null ? 0 : load.outstanding.get();
    }

    private double cost(NodeId member, long now) {
        Load load = loads.get(member);
        if (load == null) {
            return INITIAL_LATENCY_NANOS;
        }
        return load.latency(now) * (load.outstanding.get() + 1.0);
    }

    private Load load(NodeId member) {
        return loads.computeIfAbsent(member, id -> new Load());
    }

    /** One member's load: outstanding requests and peak-EWMA latency. */
    private final class Load {
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong ewmaNanos = new AtomicLong(INITIAL_LATENCY_NANOS);
        final AtomicLong stampNanos = new AtomicLong(clock.getAsLong());
        /** When the member last made progress: finished a request, or became busy from idle. */
        final AtomicLong progressNanos = new AtomicLong(clock.getAsLong());

        void observe(long sample, long now) {
            long previous = ewmaNanos.get();
            long elapsed = Math.max(0, now - stampNanos.getAndSet(now));
            long next;
            if (sample > previous) {
                next = sample; // peak: react to a slowdown at once
            } else {
                double weight = Math.exp(-(double) elapsed / DECAY_NANOS);
                next = (long) (previous * weight + sample * (1 - weight));
            }
            ewmaNanos.set(Math.max(1, next));
        }

        /**
         * The latency estimate now: the EWMA decayed towards zero for the time since the last
         * sample, so a member that stopped being chosen after one slow reply becomes attractive
         * again and gets re-measured (as in Finagle's peak EWMA).
         */
        double latency(long now) {
            long elapsed = Math.max(0, now - stampNanos.get());
            double decayed = ewmaNanos.get() * Math.exp(-(double) elapsed / DECAY_NANOS);
            if (outstanding.get() > 0) {
                // requests in flight that have not come back are at least this slow: a member
                // that stopped answering (crashed, paused) looks ever more expensive, not cheaper
                return Math.max(decayed, now - progressNanos.get());
            }
            return decayed;
        }
    }
}
