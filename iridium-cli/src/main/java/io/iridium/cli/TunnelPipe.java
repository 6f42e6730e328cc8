package io.iridium.cli;

import io.iridium.IridiumException;
import io.iridium.Tunnel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Joins a {@link Tunnel} to a pair of byte streams, as {@code iridium tunnel} does with standard
 * input and output.
 *
 * <pre>
 *   in ──read ≤ 64 KiB──▶ send ─────▶ far side
 *   out ◀──write, flush── receive ◀── far side
 *   end of in ─▶ closeSend (half-close) ─▶ keep receiving until the far side's end ─▶ close
 * </pre>
 *
 * <p>The sending side runs on the caller's thread, the receiving side on a virtual thread. Each
 * read of {@code in} becomes one message at once (an interactive line is not held back to fill a
 * chunk). Waiting for credit or for data is not a failure: an idle or slow tunnel stays open;
 * only a failed tunnel (the far side or the connection died) is, and {@link #run()} reports it.
 * A far side that closes while we still send ends the sending quietly, as a closed pipe would.
 */
final class TunnelPipe {

    /** The largest message made from one read of the input. */
    static final int CHUNK_BYTES = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Tunnel tunnel;
    private final InputStream in;
    private final OutputStream out;
    private volatile long sentBytes;
    private volatile long receivedBytes;
    private volatile RuntimeException receiveFailure;

    TunnelPipe(Tunnel tunnel, InputStream in, OutputStream out) {
        this.tunnel = tunnel;
        this.in = in;
        this.out = out;
    }

    /**
     * Pumps both directions until both have ended, then closes the tunnel.
     *
     * @throws IridiumException.Closed when the tunnel failed while receiving
     * @throws UncheckedIOException    when the input or output failed
     */
    void run() throws InterruptedException {
        Thread receiver = Thread.ofVirtual().name("iridium-tunnel-receive").start(this::receiveAll);
        try {
            sendAll();
            try {
                tunnel.closeSend();
            } catch (IridiumException.Closed alreadyClosed) {
                // The far side closed first; the receiver reports it if that was a failure.
            }
            receiver.join();
        } finally {
            tunnel.close();
        }
        if (receiveFailure != null) {
            throw receiveFailure;
        }
    }

    long sentBytes() {
        return sentBytes;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    private void sendAll() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (read > 0 && !send(Arrays.copyOf(buffer, read))) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    /** Sends one message, waiting for credit as long as it takes; false once the tunnel is closed. */
    private boolean send(byte[] message) {
        while (true) {
            try {
                tunnel.send(message, WAIT);
                sentBytes += message.length;
                return true;
            } catch (IridiumException.TimedOut noCredit) {
                // The far side reads slowly; nothing was sent, so send again.
            } catch (IridiumException.Closed closed) {
                return false;
            }
        }
    }

    private void receiveAll() {
        try {
            while (true) {
                byte[] message;
                try {
                    message = tunnel.receive(WAIT);
                } catch (IridiumException.TimedOut idle) {
                    continue;
                }
                if (message == null) {
                    return;
                }
                out.write(message);
                out.flush();
                receivedBytes += message.length;
            }
        } catch (IridiumException.Closed e) {
            receiveFailure = e;
        } catch (IOException e) {
            receiveFailure = new UncheckedIOException("cannot write standard output", e);
        }
    }
}
