package io.iridium.testkit.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the simulated network carried, in sealed-datagram bytes (payload plus
 * {@link Simulation#SEALED_ENVELOPE_OVERHEAD_BYTES}): datagrams and bytes sent per message kind,
 * bytes sent per node, and datagrams lost (dropped, partitioned, or addressed to no running node).
 * {@link #reset()} starts a new measuring window.
 */
public final class TrafficStats {

    /** Datagrams and bytes of one kind. */
    public record Counter(long datagrams, long bytes) {}

    private final Map<String, long[]> byKind = new TreeMap<>();
    private final Map<String, Long> bytesByNode = new TreeMap<>();
    private long datagramsSent;
    private long bytesSent;
    private long dropped;
    private long undeliverable;
    private long duplicated;

    void sent(String node, String kind, int bytes) {
        long[] counter = byKind.computeIfAbsent(kind, k -> new long[2]);
        counter[0]++;
        counter[1] += bytes;
        bytesByNode.merge(node, (long) bytes, Long::sum);
        datagramsSent++;
        bytesSent += bytes;
    }

    void countDropped() {
        dropped++;
    }

    void countUndeliverable() {
        undeliverable++;
    }

    void countDuplicated() {
        duplicated++;
    }

    public void reset() {
        byKind.clear();
        bytesByNode.clear();
        datagramsSent = 0;
        bytesSent = 0;
        dropped = 0;
        undeliverable = 0;
        duplicated = 0;
    }

    public long datagramsSent() {
        return datagramsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long dropped() {
        return dropped;
    }

    public long undeliverable() {
        return undeliverable;
    }

    public long duplicated() {
        return duplicated;
    }

    /** Bytes sent by the node named {@code node} in this window. */
    public long bytesSentBy(String node) {
        return bytesByNode.getOrDefault(node, 0L);
    }

    /** Datagrams and bytes per message kind, sorted by kind. */
    public Map<String, Counter> byKind() {
        Map<String, Counter> copy = new TreeMap<>();
        byKind.forEach((kind, c) -> copy.put(kind, new Counter(c[0], c[1])));
        return copy;
    }
}
