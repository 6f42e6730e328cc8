package io.iridium.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.relay.wire.ByteArraySink;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.ClientFrames;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayDecoder;
import io.iridium.relay.wire.RelayEncoder;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.WireLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The credit a tunnel grants back to the relay, seen by a scripted relay: gathered until
 * {@link IrisTunnel#CREDIT_BATCH} bytes were taken, and granted at once when a message longer than
 * that starts arriving.
 */
class IrisTunnelCreditTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void creditComesBackInBatches_andAtOnceBeforeALongMessage() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ScriptedRelay relay = new ScriptedRelay();
            Thread.ofPlatform().daemon().start(() -> relay.serve(listener));
            try (IrisConnection client = IrisConnection.connect(listener.getLocalPort())) {
                IrisTunnel[] opened = new IrisTunnel[1];
                Thread opener = Thread.ofPlatform().start(() -> opened[0] = client.tunnel("anything", WAIT));
                long id = relay.next(ClientFrame.TunnelInit.class).tunnelId();
                relay.send(new RelayFrame.TunnelConfirm(id, false, WireLimits.CHUNK_LIMIT));
                opener.join();
                IrisTunnel tunnel = opened[0];
                assertThat(relay.next(ClientFrame.TunnelAllow.class).space()).isEqualTo(IrisConnection.TUNNEL_CREDIT);

                int small = IrisTunnel.CREDIT_BATCH + 1_000;
                ByteArraySink burst = new ByteArraySink(small * 8);
                for (int i = 0; i < small; i++) {
                    RelayEncoder.encode(new RelayFrame.TunnelTransfer(id, 1, new byte[] {7}), burst);
                }
                relay.write(burst.toByteArray());
                for (int i = 0; i < small; i++) {
                    assertThat(tunnel.receive(WAIT)).containsExactly(7);
                }
                assertThat(relay.next(ClientFrame.TunnelAllow.class).space())
                        .as("one grant for the first batch, none per message").isEqualTo(IrisTunnel.CREDIT_BATCH);
                assertThat(relay.fromClient.poll(200, TimeUnit.MILLISECONDS)).as("the last 1,000 bytes wait for more").isNull();

                int longMessage = 100 << 10;
                relay.send(new RelayFrame.TunnelTransfer(id, longMessage, new byte[WireLimits.CHUNK_LIMIT]));
                assertThat(relay.next(ClientFrame.TunnelAllow.class).space())
                        .as("what was gathered, granted as a long message starts").isEqualTo(1_000);
                relay.send(new RelayFrame.TunnelTransfer(id, 0, new byte[longMessage - WireLimits.CHUNK_LIMIT]));
                assertThat(tunnel.receive(WAIT)).hasSize(longMessage);
                assertThat(relay.next(ClientFrame.TunnelAllow.class).space()).isEqualTo(longMessage);
            }
        }
    }

    /** One connection's relay side: answers INIT and CLOSE, queues every other packet, writes what the test scripts. */
    private static final class ScriptedRelay {
        final BlockingQueue<ClientFrame> fromClient = new LinkedBlockingQueue<>();
        private volatile OutputStream out;

        void serve(ServerSocket listener) {
            try (Socket socket = listener.accept()) {
                out = socket.getOutputStream();
                RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(WireLimits.DEFAULT);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 << 10];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    decoder.feed(buffer, 0, n);
                    ClientFrame frame;
                    while ((frame = decoder.next()) != null) {
                        if (frame instanceof ClientFrame.Init) {
                            send(new RelayFrame.Init(Protocol.RELAY_MAGIC, Protocol.VERSION));
                        } else if (frame instanceof ClientFrame.Close) {
                            send(new RelayFrame.Close(""));
                            return;
                        } else {
                            fromClient.add(frame);
                        }
                    }
                }
            } catch (Exception e) {
                // the client closed the connection
            }
        }

        <T extends ClientFrame> T next(Class<T> type) throws InterruptedException {
            ClientFrame frame = fromClient.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frame).as("the next packet from the client").isInstanceOf(type);
            return type.cast(frame);
        }

        void send(RelayFrame frame) throws IOException {
            ByteArraySink sink = new ByteArraySink(64);
            RelayEncoder.encode(frame, sink);
            write(sink.toByteArray());
        }

        synchronized void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }
}
