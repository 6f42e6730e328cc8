package io.iridium.relay.server;

import io.iridium.IridiumException;
import io.iridium.Tunnel;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.RelayProtocolException;
import io.iridium.relay.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Joins one relay tunnel (a client's tunnel id) to one node {@link Tunnel}.
 *
 * <p>Client to node: the client's chunks are reassembled into messages (the node's tunnel carries
 * whole messages) and a sender thread pushes each into the node tunnel in order. The client's
 * credit is enforced: it starts at {@link Protocol#INITIAL_TUNNEL_CREDIT}, and a client that sends
 * beyond it breaks the protocol. A message's last chunk is credited back once the node tunnel took
 * the message. A chunk that does not complete a message is credited back at once while at most
 * {@link #QUEUE_CAP_BYTES} of complete messages wait for the node (so a message larger than the
 * credit can still be sent), and otherwise held back and granted once the sender has brought the
 * queue under the cap. A slow far side therefore slows the client, and the bytes waiting here for
 * the node never exceed {@link #QUEUE_CAP_BYTES} plus the client's outstanding credit plus one
 * message.
 *
 * <p>Node to client: a pump thread receives messages and hands them to the session's thread,
 * blocking while {@link #WINDOW_BYTES} are already waiting there. A message's first chunk is sent
 * only when the client's credit covers it; its continuation chunks follow regardless (so the credit
 * may go negative), as in the reference relay, so a large message never wedges the tunnel. Nothing
 * is written while the connection is not writable (a client that grants credit but does not read);
 * the session resumes the bridge when the connection drains.
 *
 * <p>All fields but the queue, the window and the threads are confined to the session's thread.
 */
final class TunnelBridge {
    /** Bytes received from the node and not yet written to the client, per tunnel. */
    static final long WINDOW_BYTES = 1L << 20;
    /** Bytes of complete client messages waiting for the node beyond which partial chunks' credit is held back. */
    static final long QUEUE_CAP_BYTES = 1L << 20;
    private static final Duration RECEIVE_POLL = Duration.ofSeconds(30);
    private static final Object END = new Object();

    private final long id;
    private final Tunnel tunnel;
    private final RelaySession session;
    private final SessionDriver driver;
    private final Duration sendTimeout;
    private final ByteWindow window = new ByteWindow(WINDOW_BYTES);
    private final LinkedBlockingQueue<Object> toNode = new LinkedBlockingQueue<>();
    private final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
    private long creditFromClient;
    private long unconfirmed;
    private long queuedToNode;
    private long heldCredit;
    private byte[] assembling;
    private int announced;
    private int filled;
    private boolean closed;

    /** A complete message for the node tunnel, and the credit to give back once it is taken. */
    private record Outgoing(byte[] message, int creditAfter) {}

    TunnelBridge(long id, Tunnel tunnel, RelaySession session, SessionDriver driver, Duration sendTimeout) {
        this.id = id;
        this.tunnel = tunnel;
        this.session = session;
        this.driver = driver;
        this.sendTimeout = sendTimeout;
        this.unconfirmed = Protocol.INITIAL_TUNNEL_CREDIT;
    }

    long id() {
        return id;
    }

    /** Grants the client its initial credit and starts the pump and sender threads. */
    void open() {
        driver.send(new RelayFrame.TunnelAllow(id, Protocol.INITIAL_TUNNEL_CREDIT));
        Thread.ofVirtual().name("relay-tunnel-pump-" + id).start(this::pump);
        Thread.ofVirtual().name("relay-tunnel-sender-" + id).start(this::sendLoop);
    }

    // ---- client to node (session thread, then sender thread) ----

    void onChunk(long sizeOrContinuation, byte[] payload) throws RelayProtocolException {
        if (closed) {
            return;
        }
        unconfirmed -= payload.length;
        if (unconfirmed < 0) {
            throw new RelayProtocolException("tunnel " + id + ": client sent " + (-unconfirmed) + " bytes beyond its credit");
        }
        if (sizeOrContinuation != 0) {
            // a new first chunk abandons a partial message; its chunks were already credited (or are held)
            if (payload.length > sizeOrContinuation) {
                throw new RelayProtocolException("tunnel " + id + ": first chunk of " + payload.length
                        + " bytes exceeds the announced size " + sizeOrContinuation);
            }
            announced = (int) sizeOrContinuation;
            assembling = new byte[Math.min(announced, Math.max(payload.length, WireLimits.CHUNK_LIMIT))];
            filled = 0;
        } else if (assembling == null) {
            throw new RelayProtocolException("tunnel " + id + ": continuation chunk without a first chunk");
        } else if (filled + payload.length > announced) {
            throw new RelayProtocolException("tunnel " + id + ": chunks overrun the announced size " + announced);
        }
        if (filled + payload.length > assembling.length) {
            assembling = Arrays.copyOf(assembling, (int) Math.min(announced, Math.max(filled + payload.length, 2L * assembling.length)));
        }
        System.arraycopy(payload, 0, assembling, filled, payload.length);
        filled += payload.length;
        if (filled == announced) {
            queuedToNode += announced;
            toNode.add(new Outgoing(assembling, payload.length));
            assembling = null;
        } else if (queuedToNode > QUEUE_CAP_BYTES) {
            heldCredit += payload.length;
        } else {
            creditClient(payload.length);
        }
    }

    /** The sender pushed {@code bytes} of messages into the node tunnel; {@code credit} is theirs to return. */
    private void sent(long bytes, long credit) {
        queuedToNode -= bytes;
        long grant = credit;
        if (queuedToNode <= QUEUE_CAP_BYTES) {
            grant += heldCredit;
            heldCredit = 0;
        }
        creditClient(grant);
    }

    private void creditClient(long bytes) {
        if (bytes > 0 && !closed) {
            unconfirmed += bytes;
            driver.send(new RelayFrame.TunnelAllow(id, bytes));
        }
    }

    private void sendLoop() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(toNode.take());
                toNode.drainTo(batch, 256);
                long credit = 0;
                long bytes = 0;
                for (Object item : batch) {
                    if (item == END) {
                        tunnel.close();
                        return;
                    }
                    Outgoing out = (Outgoing) item;
                    tunnel.send(out.message(), sendTimeout);
                    credit += out.creditAfter();
                    bytes += out.message().length;
                }
                batch.clear();
                long sentBytes = bytes;
                long grant = credit;
                driver.execute(() -> sent(sentBytes, grant));
            }
        } catch (IridiumException.TimedOut e) {
            tunnel.close();
            driver.execute(() -> session.tunnelFailed(this, "the far side gave no credit within " + sendTimeout.toSeconds() + " s"));
        } catch (IridiumException e) {
            driver.execute(() -> session.tunnelFailed(this, reason(e)));
        } catch (InterruptedException e) {
            tunnel.close();
        }
    }

    // ---- node to client (pump thread, then session thread) ----

    private void pump() {
        try {
            while (true) {
                byte[] message;
                try {
                    message = tunnel.receive(RECEIVE_POLL);
                } catch (IridiumException.TimedOut e) {
                    continue;
                }
                if (message == null) {
                    driver.execute(() -> session.tunnelFailed(this, ""));
                    return;
                }
                if (!window.acquire(message.length)) {
                    return;
                }
                driver.execute(() -> deliver(message));
            }
        } catch (IridiumException e) {
            driver.execute(() -> session.tunnelFailed(this, reason(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(byte[] message) {
        if (closed) {
            return;
        }
        toClient.add(message);
        drain();
    }

    /** The client granted {@code space} more bytes (an unsigned 64-bit count; credit saturates). */
    void onAllow(long space) {
        if (closed) {
            return;
        }
        creditFromClient = space < 0 || creditFromClient > Long.MAX_VALUE - space ? Long.MAX_VALUE : creditFromClient + space;
        drain();
    }

    /** Writes what the client's credit and the connection's writability allow (session thread). */
    void drain() {
        int chunk = WireLimits.CHUNK_LIMIT;
        while (!closed && !toClient.isEmpty() && driver.writable()) {
            byte[] message = toClient.peek();
            if (message.length == 0) {
                toClient.poll();
                continue;
            }
            int first = Math.min(message.length, chunk);
            if (creditFromClient < first) {
                return;
            }
            toClient.poll();
            creditFromClient -= first;
            driver.send(new RelayFrame.TunnelTransfer(id, message.length, first == message.length ? message : Arrays.copyOf(message, first)));
            for (int offset = first; offset < message.length; offset += chunk) {
                int length = Math.min(chunk, message.length - offset);
                creditFromClient -= length;
                driver.send(new RelayFrame.TunnelTransfer(id, 0, Arrays.copyOfRange(message, offset, offset + length)));
            }
            window.release(message.length);
        }
    }

    // ---- closing ----

    /**
     * Stops the bridge: no more packets for the client. {@code graceful} lets the sender push what
     * the client already sent and then close the node tunnel; otherwise the node tunnel is closed at
     * once (the connection is gone). Idempotent; session thread only.
     */
    void stop(boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        window.close();
        toClient.clear();
        if (graceful) {
            toNode.add(END);
        } else {
            toNode.clear();
            toNode.add(END);
            Thread.ofVirtual().name("relay-tunnel-close-" + id).start(tunnel::close);
        }
    }

    boolean stopped() {
        return closed;
    }

    private static String reason(IridiumException e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
