package io.iridium.cli;

import io.iridium.Tunnel;
import io.iridium.relay.client.IrisTunnel;
import java.time.Duration;

/**
 * An Iris relay tunnel seen as an Iridium {@link Tunnel}, so that {@link TunnelPipe} and the
 * serving handlers work through a relay unchanged. Iris tunnels have no half-close: ending the
 * sending direction closes the whole tunnel (replies still in flight are lost), which is all the
 * relay protocol can express.
 */
final class RelayTunnel implements Tunnel {
    private final IrisTunnel tunnel;

    RelayTunnel(IrisTunnel tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void send(byte[] message, Duration timeout) {
        tunnel.send(message, timeout);
    }

    @Override
    public byte[] receive(Duration timeout) {
        return tunnel.receive(timeout);
    }

    @Override
    public void closeSend() {
        tunnel.close();
    }

    @Override
    public void close() {
        tunnel.close();
    }
}
