package io.iridium.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.iridium.Endpoint;
import io.iridium.Node;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a node's admin API over HTTP, on the JDK's built-in server.
 *
 * <pre>
 *   GET /status   200  application/json   members, clusters and topics as this node sees them ({@link StatusDocument})
 *   GET /metrics  200  text/plain         the node's meters in Prometheus text format 0.0.4
 *   other paths   404;  other methods on those two paths  405
 * </pre>
 *
 * <p>Each request runs on its own virtual thread and only reads immutable snapshots from the
 * node, so a slow client never holds up the node. The server has no authentication: bind it to
 * loopback or a management network. {@link #close()} stops it at once; it is idempotent.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Endpoint address;
    private final Node node;
    private final PrometheusMeterRegistry registry;

    private AdminServer(HttpServer server, ExecutorService executor, String host, Node node,
            PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.address = new Endpoint(host, server.getAddress().getPort());
        this.node = node;
        this.registry = registry;
    }

    /**
     * Starts serving {@code node}'s status and {@code registry}'s meters on {@code bind}; port 0
     * picks a free port (see {@link #address()}).
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AdminServer start(Node node, PrometheusMeterRegistry registry, Endpoint bind) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(registry, "registry");
        try {
            return bind(node, registry, bind);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + bind, e);
        }
    }

    /**
     * Starts on the first port of {@code firstPort}, {@code firstPort + 1}, ... (at most
     * {@code attempts} of them) that is free on {@code host}: how dev nodes on one machine each
     * get an admin port without being told one.
     *
     * @throws UncheckedIOException when none of those ports is free
     */
    public static AdminServer startOnFirstFreePort(
            Node node, PrometheusMeterRegistry registry, String host, int firstPort, int attempts) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(registry, "registry");
        IOException last = null;
        for (int port = firstPort; port < firstPort + attempts && port <= 65_535; port++) {
            try {
                return bind(node, registry, new Endpoint(host, port));
            } catch (BindException e) {
                last = e;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve HTTP on " + new Endpoint(host, port), e);
            }
        }
        throw new UncheckedIOException("no free port for HTTP on " + host + " in " + firstPort + ".."
                + (firstPort + attempts - 1), last != null ? last : new BindException("no port tried"));
    }

    private static AdminServer bind(Node node, PrometheusMeterRegistry registry, Endpoint bind) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind.host(), bind.port()), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        AdminServer admin = new AdminServer(server, executor, bind.host(), node, registry);
        server.createContext("/", admin::handle);
        server.start();
        return admin;
    }

    /** Where the server listens, with the port it actually bound. */
    public Endpoint address() {
        return address;
    }

    /** The base URL of the API, e.g. {@code http://127.0.0.1:8946}. */
    public URI uri() {
        return URI.create("http://" + address);
    }

    /** Stops serving; requests in progress are cut off. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (RuntimeException e) {
            LOG.warn("admin request {} failed", exchange.getRequestURI(), e);
            if (exchange.getResponseCode() < 0) { // nothing sent yet: say so rather than hang up
                respond(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/status" -> {
                if (requireGet(exchange)) {
                    respond(exchange, 200, "application/json; charset=utf-8", StatusDocument.of(node).toJson() + "\n");
                }
            }
            case "/metrics" -> {
                if (requireGet(exchange)) {
                    respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
                }
            }
            default -> respond(exchange, 404, "text/plain; charset=utf-8",
                    "not found: " + path + " (try /status or /metrics)\n");
        }
    }

    private static boolean requireGet(HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod())) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
