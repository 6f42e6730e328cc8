package io.iridium.cli;

import io.iridium.IridiumException;
import io.iridium.ServiceHandler;
import io.iridium.Tunnel;
import java.time.Duration;

/**
 * {@code iridium serve --echo}: answers each request with its own bytes and sends every tunnel
 * message straight back, in order, until the far side half-closes; then it closes its side too.
 * Broadcasts are printed. Stateless apart from the log's counters, so any number of handlers may
 * run at once.
 */
final class EchoService implements ServiceHandler {

    /** How long one receive or send waits before trying again (an idle tunnel is fine). */
    private static final Duration TUNNEL_WAIT = Duration.ofSeconds(30);

    private final ServeLog log;

    EchoService(ServeLog log) {
        this.log = log;
    }

    @Override
    public byte[] handleRequest(byte[] request) {
        long number = log.nextRequest();
        log.replied(number, request.length, request.length, System.nanoTime());
        return request;
    }

    @Override
    public void handleBroadcast(byte[] message) {
        log.broadcast(message);
    }

    @Override
    public void handleTunnel(Tunnel tunnel) {
        long number = log.nextTunnel();
        log.tunnel(number, "opened");
        long messages = 0;
        long bytes = 0;
        try (tunnel) {
            byte[] message;
            while ((message = receive(tunnel)) != null) {
                send(tunnel, message);
                messages++;
                bytes += message.length;
            }
            log.tunnel(number, "closed: echoed " + messages + " messages, " + bytes + " bytes");
        } catch (IridiumException.Closed e) {
            log.tunnel(number, "failed after echoing " + messages + " messages: " + e.getMessage());
        }
    }

    private static byte[] receive(Tunnel tunnel) {
        while (true) {
            try {
                return tunnel.receive(TUNNEL_WAIT);
            } catch (IridiumException.TimedOut idle) {
                // An idle tunnel stays open; keep waiting.
            }
        }
    }

    private static void send(Tunnel tunnel, byte[] message) {
        while (true) {
            try {
                tunnel.send(message, TUNNEL_WAIT);
                return;
            } catch (IridiumException.TimedOut noCredit) {
                // The far side reads slowly; nothing was sent, so send again.
            }
        }
    }

    @Override
    public void handleDrop(Throwable reason) {
        log.dropped(reason);
    }
}
