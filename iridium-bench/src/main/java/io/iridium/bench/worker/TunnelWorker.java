package io.iridium.bench.worker;

import io.iridium.ServiceHandler;
import io.iridium.Tunnel;
import io.iridium.security.NetworkKey;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The tunnel workload: one pair of JVMs, each running an Iridium node and a TLS socket endpoint,
 * so that an Iridium tunnel and a raw TLS socket are measured between the very same processes.
 *
 * <p>The {@code server} role accepts both: it reads every byte and answers with one
 * acknowledgement once the sender has finished. The {@code client} role runs one transfer of
 * {@code count} messages of {@code size} bytes per {@code RUN iridium} or {@code RUN tls}
 * command, timed from the first byte sent to the acknowledgement received (connection set-up
 * excluded), and reports {@code RESULT rate=} in MiB/s.
 */
final class TunnelWorker {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TunnelWorker() {}

    static void run(WorkerArgs args, Control control) throws Exception {
        Path keyFile = Path.of(args.text("key"));
        SSLContext tls = TlsSockets.context(NetworkKey.read(keyFile));
        String name = args.role() + "-" + ProcessHandle.current().pid();
        switch (args.role()) {
            case "server" -> {
                try (IridiumFabric fabric = new IridiumFabric(keyFile, (int) args.number("port"), List.of(), name);
                        SSLServerSocket listener = (SSLServerSocket) tls.getServerSocketFactory()
                                .createServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
                    listener.setNeedClientAuth(true);
                    fabric.node().register(IridiumFabric.CLUSTER, new ServiceHandler() {
                        @Override
                        public void handleTunnel(Tunnel tunnel) {
                            drainTunnel(tunnel);
                        }
                    });
                    Thread acceptor = new Thread(() -> acceptTls(listener), "tls-acceptor");
                    acceptor.setDaemon(true);
                    acceptor.start();
                    control.report("READY " + fabric.endpoint() + " " + listener.getLocalPort());
                    control.awaitStopAndReportRss();
                }
            }
            case "client" -> {
                int size = (int) args.number("size");
                long count = args.number("count");
                List<String> peers = args.list("peers");
                int tlsPort = (int) args.number("tlsport");
                try (IridiumFabric fabric = new IridiumFabric(keyFile, (int) args.number("port"), peers, name)) {
                    fabric.awaitServerMembership();
                    byte[] message = Worker.payload(size, Worker.MEASURED);
                    // Each path (for Iridium: Netty, its TLS handler, the tunnel) needs about 30,000
                    // messages to settle in the JIT; both warm up alike, for as many messages as a
                    // run measures and for at least warmupMillis.
                    long warmupMillis = args.number("warmupMillis", 0);
                    warmUp(() -> sendThroughTunnel(fabric, message, count), warmupMillis);
                    warmUp(() -> sendThroughTls(tls, tlsPort, message, count), warmupMillis);
                    // and once more each, in the order the runs take: the first measured run of
                    // the system warmed first otherwise follows seconds of the other's traffic
                    warmUp(() -> sendThroughTunnel(fabric, message, count), 0);
                    warmUp(() -> sendThroughTls(tls, tlsPort, message, count), 0);
                    control.report("READY");
                    while (true) {
                        String command = control.next();
                        if (command.equals("STOP")) {
                            control.report("RSS " + PeakRss.selfKilobytes());
                            return;
                        }
                        long nanos = switch (command) {
                            case "RUN iridium" -> sendThroughTunnel(fabric, message, count);
                            case "RUN tls" -> sendThroughTls(tls, tlsPort, message, count);
                            default -> throw new IllegalArgumentException("unknown command: " + command);
                        };
                        double mibPerSecond = (double) count * size / (1 << 20) / (nanos / 1e9);
                        control.report(String.format(Locale.ROOT, "RESULT rate=%.1f", mibPerSecond));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown tunnel role: " + args.role());
        }
    }

    /** One run's worth of messages through one system. */
    @FunctionalInterface
    private interface Transfer {
        long send() throws IOException;
    }

    /** Runs {@code transfer} once, then again until {@code millis} have passed. */
    private static void warmUp(Transfer transfer, long millis) throws IOException {
        long until = System.nanoTime() + millis * 1_000_000;
        do {
            transfer.send();
        } while (System.nanoTime() < until);
    }

    /** Sends {@code count} messages through a new tunnel; returns the nanoseconds until acknowledged. */
    private static long sendThroughTunnel(IridiumFabric fabric, byte[] message, long count) {
        try (Tunnel tunnel = fabric.node().tunnel(IridiumFabric.CLUSTER, TIMEOUT)) {
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                tunnel.send(message, TIMEOUT);
            }
            tunnel.closeSend();
            byte[] ack = tunnel.receive(TIMEOUT);
            long elapsed = System.nanoTime() - start;
            long received = ack == null ? -1 : ByteBuffer.wrap(ack).getLong();
            if (received != count * message.length) {
                throw new IllegalStateException("the tunnel's far side got " + received + " bytes of "
                        + count * message.length);
            }
            return elapsed;
        }
    }

    private static void drainTunnel(Tunnel tunnel) {
        // Reads each message in place, as the raw socket's reader reads into one reused buffer.
        long[] bytes = {0};
        while (tunnel.receive(message -> bytes[0] += message.remaining(), TIMEOUT)) {
            // counted by the reader
        }
        tunnel.send(ByteBuffer.allocate(8).putLong(bytes[0]).array(), TIMEOUT);
        tunnel.close();
    }

    /** Sends {@code count} messages over a new TLS socket; returns the nanoseconds until acknowledged. */
    private static long sendThroughTls(SSLContext tls, int port, byte[] message, long count) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            long start = System.nanoTime();
            new DataOutputStream(out).writeLong(count * message.length);
            for (long i = 0; i < count; i++) {
                out.write(message);
            }
            out.flush();
            long received = in.readLong();
            long elapsed = System.nanoTime() - start;
            if (received != count * message.length) {
                throw new IllegalStateException("the TLS socket's far side got " + received + " bytes");
            }
            return elapsed;
        }
    }

    private static void acceptTls(SSLServerSocket listener) {
        while (!listener.isClosed()) {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                long expected = in.readLong();
                byte[] buffer = new byte[64 * 1024];
                long received = 0;
                InputStream raw = in;
                while (received < expected) {
                    int read = raw.read(buffer, 0, (int) Math.min(buffer.length, expected - received));
                    if (read < 0) {
                        break;
                    }
                    received += read;
                }
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeLong(received);
                out.flush();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("tls baseline connection failed: " + e);
                }
            }
        }
    }
}
