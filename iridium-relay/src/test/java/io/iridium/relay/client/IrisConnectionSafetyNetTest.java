package io.iridium.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.IridiumException;
import io.iridium.relay.wire.ByteArraySink;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayEncoder;
import io.iridium.relay.wire.RelayFrame;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Relays that go silent. One that accepts the handshake and then never answers: a blocking
 * request still ends, with {@code TimedOut}, a few seconds after its timeout (the client's safety
 * net, since the caller waits without a timer of its own). One that accepts the connection and
 * never answers the handshake: attaching fails after the handshake deadline.
 */
class IrisConnectionSafetyNetTest {

    @Test
    void aRequestTheRelayNeverAnswersTimesOut() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread silentRelay = Thread.ofPlatform().daemon().start(() -> {
                try (Socket socket = listener.accept()) {
                    ByteArraySink init = new ByteArraySink(64);
                    RelayEncoder.encode(new RelayFrame.Init(Protocol.RELAY_MAGIC, Protocol.VERSION), init);
                    socket.getOutputStream().write(init.toByteArray());
                    InputStream in = socket.getInputStream();
                    while (in.read(new byte[1024]) >= 0) {
                        // swallow the client's packets and never answer
                    }
                } catch (Exception e) {
                    // the test closed the connection
                }
            });
            try (IrisConnection connection = IrisConnection.connect(listener.getLocalPort())) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> connection.request("echo", new byte[] {1}, Duration.ofMillis(200)))
                        .isInstanceOf(IridiumException.TimedOut.class);
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertThat(waited).isBetween(Duration.ofMillis(200), Duration.ofSeconds(30));
            }
            silentRelay.interrupt();
        }
    }

    @Test
    void aRelayThatNeverAnswersTheHandshake_failsTheAttachAfterTheDeadline() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread mute = Thread.ofPlatform().daemon().start(() -> {
                try (Socket socket = listener.accept()) {
                    InputStream in = socket.getInputStream();
                    while (in.read(new byte[1024]) >= 0) {
                        // read INIT, answer nothing
                    }
                } catch (Exception e) {
                    // the client gave up
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> IrisConnection.connect(listener.getLocalPort()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("no answer within 10000 ms");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(30));
            mute.join(5_000);
            assertThat(mute.isAlive()).as("the client closed its end").isFalse();
        }
    }
}
