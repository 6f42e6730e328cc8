package io.iridium.testkit.sim;

/**
 * How the simulated network treats each datagram. Latency is {@code baseLatencyMillis} plus an
 * exponentially distributed jitter with mean {@code meanJitterMillis} (so datagrams between
 * the same pair already overtake each other sometimes); with {@code reorderProbability} a
 * datagram is held back a further uniform {@code 0..reorderDelayMillis}. A datagram is lost
 * with {@code dropProbability} and, when not lost, delivered twice with
 * {@code duplicateProbability}.
 */
public record NetworkConditions(
        double baseLatencyMillis,
        double meanJitterMillis,
        double dropProbability,
        double duplicateProbability,
        double reorderProbability,
        long reorderDelayMillis) {

    public NetworkConditions {
        if (baseLatencyMillis < 0 || meanJitterMillis < 0 || reorderDelayMillis < 0) {
            throw new IllegalArgumentException("latencies must be >= 0");
        }
        probability("dropProbability", dropProbability);
        probability("duplicateProbability", duplicateProbability);
        probability("reorderProbability", reorderProbability);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in 0..1: " + p);
        }
    }

    /** A quiet LAN: 0.5 ms plus 0.5 ms mean jitter, nothing lost, duplicated or held back. */
    public static NetworkConditions lan() {
        return new NetworkConditions(0.5, 0.5, 0, 0, 0, 0);
    }

    /** This network with {@code probability} of losing each datagram. */
    public NetworkConditions withDrop(double probability) {
        return new NetworkConditions(baseLatencyMillis, meanJitterMillis, probability, duplicateProbability,
                reorderProbability, reorderDelayMillis);
    }

    /** This network with duplication and reordering (held back up to {@code delayMillis}). */
    public NetworkConditions withDuplicationAndReordering(double duplicate, double reorder, long delayMillis) {
        return new NetworkConditions(baseLatencyMillis, meanJitterMillis, dropProbability, duplicate, reorder, delayMillis);
    }
}
