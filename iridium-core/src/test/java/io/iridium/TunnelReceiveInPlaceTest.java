package io.iridium;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * {@link Tunnel#receive(java.util.function.Consumer, Duration)} as a tunnel that only implements
 * {@link Tunnel#receive(Duration)} (a relay client's, say) provides it.
 */
class TunnelReceiveInPlaceTest {

    /** Hands out queued messages, then the end of the stream. */
    static final class QueuedTunnel implements Tunnel {
        final Queue<byte[]> messages = new ArrayDeque<>();

        @Override
        public void send(byte[] message, Duration timeout) {
            messages.add(message);
        }

        @Override
        public byte[] receive(Duration timeout) {
            return messages.poll();
        }

        @Override
        public void closeSend() {}

        @Override
        public void close() {}
    }

    @Test
    void receiveInPlace_default_showsEachMessageReadOnlyThenReportsTheEnd() {
        QueuedTunnel tunnel = new QueuedTunnel();
        tunnel.send(new byte[] {1, 2, 3}, Duration.ZERO);
        tunnel.send(new byte[0], Duration.ZERO);
        List<ByteBuffer> seen = new ArrayList<>();

        while (tunnel.receive(view -> {
            assertThat(view.isReadOnly()).isTrue();
            seen.add(ByteBuffer.allocate(view.remaining()).put(view).flip());
        }, Duration.ZERO)) {
            // collected by the reader
        }

        assertThat(seen).containsExactly(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.allocate(0));
    }
}
