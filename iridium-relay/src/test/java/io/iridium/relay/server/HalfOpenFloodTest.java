package io.iridium.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.relay.RelayConfig;
import io.iridium.relay.RelayServer;
import io.iridium.relay.client.IrisConnection;
import io.iridium.runtime.LocalNetwork;
import io.iridium.runtime.NodeRuntime;
import io.iridium.relay.wire.WireBytes;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flood of connections that never finish their handshake (some send nothing, some half an INIT)
 * neither blocks other clients — the reference relay reads INIT in its accept loop, so one silent
 * socket stalls it — nor survives the handshake deadline.
 */
class HalfOpenFloodTest {
    private static final int FLOOD = 200;

    @Test
    void halfOpenConnections_doNotBlockOthers_andAreClosedByTheDeadline() throws Exception {
        try (LocalNetwork network = new LocalNetwork()) {
            NodeRuntime node = network.start("flood", List.of());
            Duration deadline = Duration.ofSeconds(1);
            try (RelayServer relay = RelayServer.start(node, RelayConfig.builder().address("127.0.0.1", 0)
                    .handshakeTimeout(deadline).build())) {
                List<Socket> flood = new ArrayList<>();
                byte[] halfInit = WireBytes.of("00 11 \"iris-cl\"");
                for (int i = 0; i < FLOOD; i++) {
                    Socket socket = new Socket(relay.address().getAddress(), relay.address().getPort());
                    if (i % 2 == 1) {
                        socket.getOutputStream().write(halfInit);
                    }
                    flood.add(socket);
                }
                long started = System.nanoTime();
                try (IrisConnection client = IrisConnection.connect(relay.address())) {
                    assertThat(client.isOpen()).isTrue();
                    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
                    assertThat(waitedMillis).as("attached while the flood was pending").isLessThan(deadline.toMillis());
                    for (Socket socket : flood) {
                        socket.setSoTimeout(10_000);
                        InputStream in = socket.getInputStream();
                        assertThat(in.read()).as("closed by the handshake deadline, with nothing sent").isEqualTo(-1);
                    }
                    assertThat(client.isOpen()).isTrue();
                } finally {
                    for (Socket socket : flood) {
                        socket.close();
                    }
                }
            }
        }
    }
}
