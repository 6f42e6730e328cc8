package io.iridium.bench;

import java.util.Map;

/**
 * What one run of one system measured.
 *
 * @param contender the system
 * @param metrics   the figures by name: {@code rate} (the workload's unit), and for latency
 *                  {@code p50}, {@code p99}, {@code p999} in µs; {@code delivered} for pub/sub
 *                  is the fraction of messages that arrived
 * @param peakRssKb peak resident set size of each process of the run, by role
 */
public record RunResult(Contender contender, Map<String, Double> metrics, Map<String, Long> peakRssKb) {

    public RunResult {
        metrics = Map.copyOf(metrics);
        peakRssKb = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(peakRssKb)); // keeps process order
    }

    /** The figure named {@code name}. */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
        }
        return value;
    }
}
