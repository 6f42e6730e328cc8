package io.iridium.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for the processes the harness starts (there is a small race, as always). */
final class FreePorts {
    private FreePorts() {}

    /** A TCP port free on 127.0.0.1. */
    static int tcp() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1, as an Iridium node needs. */
    static int tcpAndUdp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = tcp();
            try (DatagramSocket datagrams = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("found no loopback port free for both TCP and UDP");
    }
}
