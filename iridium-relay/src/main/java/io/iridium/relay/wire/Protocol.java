package io.iridium.relay.wire;

/** The constants of the handshake and of tunnels that both sides must agree on (§11 of the spec). */
public final class Protocol {
    /** The only version accepted: an exact string match, no negotiation. */
    public static final String VERSION = "v1.0-draft2";
    /** What a client's INIT and nothing else starts with. */
    public static final String CLIENT_MAGIC = "iris-client-magic";
    /** What the relay's INIT and DENY start with. */
    public static final String RELAY_MAGIC = "iris-relay-magic";
    /** The credit the relay grants a client on each new tunnel: 4 MiB. */
    public static final long INITIAL_TUNNEL_CREDIT = 4L << 20;
    /** The default relay port. */
    public static final int DEFAULT_PORT = 55_555;

    private Protocol() {}

    /** The reason text of the DENY for a client speaking {@code clientVersion}. */
    public static String denyReason(String clientVersion) {
        return "Unsupported protocol. Client: " + clientVersion + ". Iris: " + VERSION + ".";
    }
}
