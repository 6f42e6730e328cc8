package io.iridium.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayDecoder;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.RelayFrames;
import io.iridium.relay.wire.RelayProtocolException;
import io.iridium.relay.wire.WireBytes;
import io.iridium.relay.wire.WireLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Test helper: a relay client that speaks raw bytes, to check the relay's wire behaviour byte by
 * byte. Reads never go past what was asked for, so exact-byte reads and frame reads can be mixed.
 */
final class RawRelayClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final byte[] PLAIN_HANDSHAKE = WireBytes.of("00 11 \"iris-client-magic\" 0B \"v1.0-draft2\" 00");
    static final byte[] RELAY_INIT = WireBytes.of("0010697269732d72656c61792d6d616769630b76312e302d647261667432");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final RelayDecoder<RelayFrame> decoder = RelayFrames.decoder(WireLimits.DEFAULT);

    private RawRelayClient(InetSocketAddress relay) {
        try {
            socket = new Socket(relay.getAddress(), relay.getPort());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects without sending anything. */
    static RawRelayClient connect(InetSocketAddress relay) {
        return new RawRelayClient(relay);
    }

    /** Connects and completes the handshake (as a service of {@code cluster} unless empty). */
    static RawRelayClient attach(InetSocketAddress relay, String cluster) {
        RawRelayClient client = new RawRelayClient(relay);
        client.write(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, cluster));
        assertThat(client.readExactly(RELAY_INIT.length)).isEqualTo(RELAY_INIT);
        client.decoder.feed(RELAY_INIT);
        try {
            client.decoder.next();
        } catch (RelayProtocolException e) {
            throw new AssertionError(e);
        }
        return client;
    }

    void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(ClientFrame frame) {
        write(WireBytes.encode(frame));
    }

    /** Exactly {@code n} bytes, failing on end of stream or after {@link #WAIT}. */
    byte[] readExactly(int n) {
        byte[] bytes = new byte[n];
        try {
            socket.setSoTimeout((int) WAIT.toMillis());
            int read = 0;
            while (read < n) {
                int r = in.read(bytes, read, n - read);
                if (r < 0) {
                    throw new AssertionError("end of stream after " + read + " of " + n + " bytes");
                }
                read += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    /** The next whole packet from the relay, within {@link #WAIT}. */
    RelayFrame next() {
        RelayFrame frame = nextWithin(WAIT);
        if (frame == null) {
            throw new AssertionError("no whole packet from the relay within " + WAIT);
        }
        return frame;
    }

    /** The next whole packet if one arrives within {@code wait}, else null (a partial one is kept). */
    RelayFrame nextWithin(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            while (true) {
                RelayFrame frame = decoder.next();
                if (frame != null) {
                    return frame;
                }
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("end of stream while waiting for a packet");
                }
                decoder.feed(new byte[] {(byte) b});
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RelayProtocolException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads until the relay closes the connection; the number of bytes read before the end. */
    long drainToEnd() {
        long total = 0;
        byte[] buffer = new byte[64 << 10];
        try {
            socket.setSoTimeout((int) WAIT.toMillis());
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the relay did not close the connection within " + WAIT + " (read " + total + " bytes)");
        } catch (IOException e) {
            // a reset is a close too
        }
        return total;
    }

    /** The next packet, which must be of {@code type}. */
    <T extends RelayFrame> T next(Class<T> type) {
        RelayFrame frame = next();
        assertThat(frame).isInstanceOf(type);
        return type.cast(frame);
    }

    /** Asserts that nothing arrives for {@code quiet} (the only way to observe held-back data). */
    void expectNothingFor(Duration quiet) {
        try {
            socket.setSoTimeout((int) quiet.toMillis());
            int b = in.read();
            throw new AssertionError("expected silence, got " + (b < 0 ? "end of stream" : "byte 0x" + Integer.toHexString(b)));
        } catch (SocketTimeoutException e) {
            // silence, as expected
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the relay closes the connection, sending nothing more, within {@link #WAIT}. */
    void expectClosedSilently() {
        try {
            socket.setSoTimeout((int) WAIT.toMillis());
            int b = in.read();
            assertThat(b).as("expected end of stream, got a byte").isEqualTo(-1);
        } catch (IOException e) {
            // a reset is a close too
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // test cleanup
        }
    }
}
