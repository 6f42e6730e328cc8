package io.iridium.cli;

import io.iridium.IridiumException;
import io.iridium.Tunnel;
import io.iridium.relay.client.IrisTunnel;
import java.time.Duration;

/**
 * An Iris relay tunnel seen as an Iridium {@link Tunnel}, so that {@link TunnelPipe} and the
 * serving handlers work through a relay unchanged. Iris tunnels have no half-close, so ending the
 * sending direction only marks the input as ended: receiving goes on until the far side closes the
 * tunnel, or until nothing has arrived for {@link #QUIET_AFTER_INPUT_END} (the far side has said
 * what it had to say about our input), and only then is the whole tunnel closed. Replies in flight
 * when the input ends are therefore still delivered ({@code echo x | iridium tunnel svc} prints the
 * reply).
 */
final class RelayTunnel implements Tunnel {
    /** After the input ended, a gap this long with nothing received ends the tunnel. */
    static final Duration QUIET_AFTER_INPUT_END = Duration.ofSeconds(2);

    private final IrisTunnel tunnel;
    private volatile boolean inputEnded;

    RelayTunnel(IrisTunnel tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void send(byte[] message, Duration timeout) {
        if (inputEnded) {
            throw new IridiumException.Closed("the sending direction was closed");
        }
        tunnel.send(message, timeout);
    }

    @Override
    public byte[] receive(Duration timeout) {
        if (!inputEnded) {
            return tunnel.receive(timeout);
        }
        Duration wait = timeout.compareTo(QUIET_AFTER_INPUT_END) < 0 ? timeout : QUIET_AFTER_INPUT_END;
        try {
            return tunnel.receive(wait);
        } catch (IridiumException.TimedOut quiet) {
            if (wait.equals(timeout)) {
                throw quiet;
            }
            return null;   // quiet for long enough after our input ended: treat as the end
        }
    }

    @Override
    public void closeSend() {
        inputEnded = true;
    }

    @Override
    public void close() {
        tunnel.close();
    }
}
