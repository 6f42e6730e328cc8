package io.iridium.relay.client;

import io.iridium.relay.wire.ByteArraySink;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.RelayEncoder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Serialises a connection's writers: each packet is encoded whole into a shared buffer under a
 * lock, and one writer thread swaps the buffer out and writes it, so packets from concurrent callers
 * never interleave and a burst goes out in one write (flushed when nothing more is waiting, as the
 * protocol's bindings do).
 */
final class FrameWriter {
    private static final int MAX_BUFFERED = 8 << 20;

    private final OutputStream out;
    private ByteArraySink filling = new ByteArraySink(64 << 10);
    private ByteArraySink writing = new ByteArraySink(64 << 10);
    private boolean closed;
    private IOException failure;

    FrameWriter(OutputStream out) {
        this.out = out;
        Thread.ofVirtual().name("iris-connection-writer").start(this::run);
    }

    /** Queues one packet; blocks while much is already buffered. */
    synchronized void write(ClientFrame frame) throws IOException {
        while (!closed && filling.size() > MAX_BUFFERED) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("connection closed");
        }
        boolean wasEmpty = filling.size() == 0;
        RelayEncoder.encode(frame, filling);
        if (wasEmpty) {
            notifyAll();
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void run() {
        while (true) {
            ByteArraySink batch;
            synchronized (this) {
                while (filling.size() == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (filling.size() == 0) {
                    return;
                }
                batch = filling;
                filling = writing;
                writing = batch;
                notifyAll();
            }
            try {
                out.write(batch.array(), 0, batch.size());
                out.flush();
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                    closed = true;
                    notifyAll();
                }
                return;
            } finally {
                batch.reset();
            }
        }
    }
}
