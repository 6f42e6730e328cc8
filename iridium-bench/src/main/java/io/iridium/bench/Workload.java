package io.iridium.bench;

import java.util.Locale;

/**
 * The side-by-side workloads, with the sizes and counts the performance issue specifies as
 * defaults. {@link #unit} is what the table's figures count; for {@link #LATENCY} lower is
 * better, for the others higher.
 */
public enum Workload {
    /** 1 publisher → 1 subscriber in another process; messages/s counted at the subscriber. */
    PUBSUB(16, 2_000_000, "msgs/s"),
    /** 1 publisher → 4 subscribers, each in its own process; deliveries/s over all of them. */
    FANOUT(16, 500_000, "deliveries/s"),
    /** Sequential request/reply round trips: p50, p99, p99.9 in microseconds. */
    LATENCY(16, 50_000, "µs"),
    /**
     * Request/reply with 32 requests outstanding; replies/s. As many as pub/sub's messages: shorter
     * runs measured the JVMs still settling (2,000,000 gave a fifth more than 500,000).
     */
    REQUESTS(16, 2_000_000, "req/s"),
    /** 64 KiB messages through an Iridium tunnel vs a raw TLS socket between the same two JVMs. */
    TUNNEL(64 * 1024, 20_000, "MiB/s");

    /** The requests kept in flight by {@link #REQUESTS}. */
    public static final int OUTSTANDING = 32;
    /** The subscribers of {@link #FANOUT}. */
    public static final int FANOUT_SUBSCRIBERS = 4;

    private final int defaultSize;
    private final long defaultCount;
    private final String unit;

    Workload(int defaultSize, long defaultCount, String unit) {
        this.defaultSize = defaultSize;
        this.defaultCount = defaultCount;
        this.unit = unit;
    }

    public int defaultSize() {
        return defaultSize;
    }

    /** The message count; for {@link #PUBSUB}, with 1 KiB messages the issue asks for 500,000. */
    public long defaultCount(int size) {
        return this == PUBSUB && size >= 1024 ? 500_000 : defaultCount;
    }

    public String unit() {
        return unit;
    }

    /** The name used on the command line and in the report ({@code pubsub}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The workload named {@code text} (case-insensitive); a clear error otherwise. */
    public static Workload parse(String text) {
        for (Workload workload : values()) {
            if (workload.label().equalsIgnoreCase(text)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + text
                + "': expected one of pubsub, fanout, latency, requests, tunnel");
    }
}
