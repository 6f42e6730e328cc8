package io.iridium.bench;

/**
 * A system measured by the harness: Iridium itself, or a peer it is compared with. The tunnel
 * workload's peer is a raw TLS socket between the same JVMs rather than another product.
 */
public enum Contender {
    IRIDIUM("iridium", "Iridium"),
    /** Iridium with the core's dev-mode plaintext connections: what encryption costs. */
    IRIDIUM_PLAINTEXT("iridium-plaintext", "Iridium, no TLS (dev plaintext)"),
    NATS("nats", "NATS (jnats + nats-server)"),
    ZMQ("zmq", "ZeroMQ (JeroMQ)"),
    TLS("tls", "raw TLS socket (JDK)");

    private final String id;
    private final String title;

    Contender(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The short name used in worker command lines and {@code ratio} lines. */
    public String id() {
        return id;
    }

    /** The name shown in tables. */
    public String title() {
        return title;
    }
}
