package io.iridium;

import java.util.Objects;

/**
 * A host and port where a node listens for both membership datagrams (UDP) and data-plane
 * connections (TCP with TLS): the two share one port number.
 *
 * <p>The host is kept as written (an IP literal in practice); protocol cores compare endpoints
 * by value and never resolve them, so the simulator can use any names it likes.
 *
 * @param host an IP literal or host name
 * @param port 1 to 65535
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("an endpoint needs a host");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port}, or a bare host with {@code defaultPort}.
     *
     * @throws IllegalArgumentException with a message naming the bad text
     */
    public static Endpoint parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        try {
            if (trimmed.startsWith("[")) {
                int close = trimmed.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in address: " + text);
                }
                String host = trimmed.substring(1, close);
                String rest = trimmed.substring(close + 1);
                int port = rest.isEmpty() ? defaultPort : Integer.parseInt(rest.substring(1));
                return new Endpoint(host, port);
            }
            int colon = trimmed.lastIndexOf(':');
            if (colon < 0 || trimmed.indexOf(':') != colon) {
                return new Endpoint(trimmed, defaultPort);
            }
            return new Endpoint(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in address: " + text, e);
        }
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
