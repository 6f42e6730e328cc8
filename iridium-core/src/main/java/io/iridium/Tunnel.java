package io.iridium;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An ordered, reliable, flow-controlled stream of messages between a client and one member of a
 * cluster, opened with {@link Node#tunnel} (or handed to {@link ServiceHandler#handleTunnel}).
 *
 * <p>Messages arrive exactly once and in order until the tunnel closes or a side fails. Flow
 * control is by credit: the receiver grants bytes as it consumes, so a slow reader bounds the
 * writer's buffered memory — {@link #send} blocks (up to its timeout) while there is no credit.
 * Messages larger than a frame are chunked and reassembled transparently.
 *
 * <p>Either side may {@link #closeSend() half-close} (no more sending, still receiving, as with
 * TCP); {@link #close()} ends both directions after what was sent is delivered. A failed peer or
 * connection aborts the tunnel on both sides: pending and later calls fail with
 * {@link IridiumException.Closed} naming the cause.
 *
 * <p>Thread safety: one thread may send while another receives.
 */
public interface Tunnel extends AutoCloseable {

    /**
     * Sends one message, waiting up to {@code timeout} for credit.
     *
     * @throws IridiumException.TimedOut when no credit came in time (nothing was sent)
     * @throws IridiumException.Closed   when the tunnel is closed or failed
     */
    void send(byte[] message, Duration timeout);

    /**
     * Receives the next message, waiting up to {@code timeout}.
     *
     * @return the message, or {@code null} once the far side has finished sending (end of stream)
     * @throws IridiumException.TimedOut when nothing arrived in time
     * @throws IridiumException.Closed   when the tunnel failed
     */
    byte[] receive(Duration timeout);

    /**
     * Receives the next message without copying it into an array of its own: {@code reader} gets
     * a read-only view of the message, valid only until it returns (copy what you keep). For bulk
     * readers: a message of one full chunk (64 KiB) is read straight from the buffer it arrived
     * in, which then carries the next message, so the reader allocates nothing and the data stays
     * in the CPU's cache. Otherwise the same as {@link #receive(Duration)}. If {@code reader}
     * throws, the message counts as received and the exception propagates.
     *
     * @return {@code true} once {@code reader} has run, {@code false} once the far side has
     *         finished sending (end of stream)
     * @throws IridiumException.TimedOut when nothing arrived in time
     * @throws IridiumException.Closed   when the tunnel failed
     */
    default boolean receive(Consumer<? super ByteBuffer> reader, Duration timeout) {
        Objects.requireNonNull(reader, "reader");
        byte[] message = receive(timeout);
        if (message == null) {
            return false;
        }
        reader.accept(ByteBuffer.wrap(message).asReadOnlyBuffer());
        return true;
    }

    /** Ends this side's sending direction; the far side's {@link #receive} returns {@code null} after the last message. */
    void closeSend();

    /** Half-closes if not yet done, waits briefly for the far side to finish, and releases the tunnel. Idempotent. */
    @Override
    void close();
}
