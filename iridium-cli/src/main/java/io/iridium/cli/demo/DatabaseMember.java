package io.iridium.cli.demo;

import io.iridium.IridiumException;
import io.iridium.ServiceHandler;
import io.iridium.Tunnel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;

/**
 * One member of the demo's {@code databases} cluster. It answers every request with its own
 * name (so the client can count how requests spread), reports each broadcast it receives to the
 * act watching, and receives uploads over tunnels: it reads to the end of the stream, then sends
 * back {@code NAME BYTES SHA-256-HEX} and closes, so that the sender can compare checksums.
 */
final class DatabaseMember implements ServiceHandler {

    private static final Duration TUNNEL_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final BlockingQueue<Delivery> broadcasts;

    DatabaseMember(String name, BlockingQueue<Delivery> broadcasts) {
        this.name = name;
        this.broadcasts = broadcasts;
    }

    /**
     * A broadcast as one member received it.
     *
     * @param member  the member's demo name
     * @param message the message, as text
     * @param atNanos {@link System#nanoTime()} on arrival
     */
    record Delivery(String member, String message, long atNanos) {}

    @Override
    public byte[] handleRequest(byte[] request) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handleBroadcast(byte[] message) {
        broadcasts.add(new Delivery(name, new String(message, StandardCharsets.UTF_8), System.nanoTime()));
    }

    @Override
    public void handleTunnel(Tunnel tunnel) {
        try (tunnel) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            byte[] chunk;
            while ((chunk = tunnel.receive(TUNNEL_WAIT)) != null) {
                sha256.update(chunk);
                bytes += chunk.length;
            }
            String receipt = name + " " + bytes + " " + HexFormat.of().formatHex(sha256.digest());
            tunnel.send(receipt.getBytes(StandardCharsets.UTF_8), TUNNEL_WAIT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } catch (IridiumException e) {
            // The uploader gave up or the tunnel failed; the uploader's act reports it.
        }
    }
}
