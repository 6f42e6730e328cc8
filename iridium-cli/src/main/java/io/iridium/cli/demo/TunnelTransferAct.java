package io.iridium.cli.demo;

import io.iridium.IridiumException;
import io.iridium.Tunnel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Act: the client uploads an 8 MiB file through a tunnel to one member of {@code databases},
 * which answers with the byte count and SHA-256 of what it received.
 *
 * <p>The file is generated from a fixed seed, sent in 64 KiB messages; the client half-closes
 * at the end, reads the member's receipt and compares both figures with its own. A mismatch, a
 * failed tunnel or a missed deadline fails the act.
 */
final class TunnelTransferAct implements DemoAct {

    private static final int FILE_BYTES = 8 * 1024 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long SEED = 2013;

    @Override
    public String title() {
        return "A tunnel carries an 8 MiB file";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "A tunnel is an ordered, reliable stream to one member of a cluster, with credit-based",
                "flow control: the receiver grants bytes as it reads, so a slow reader bounds what the",
                "writer buffers. The last node uploads 8 MiB of generated data to one \"databases\" member",
                "in 64 KiB messages, then half-closes; the member answers with the SHA-256 of what it got.");
    }

    @Override
    public void perform(DemoStage stage) {
        List<DemoNode> live = stage.network().live();
        DemoNode client = live.get(live.size() - 1);
        byte[] file = new byte[FILE_BYTES];
        new Random(SEED).nextBytes(file);
        String expected = sha256(file);

        stage.markTime();
        long started = System.nanoTime();
        try (Tunnel tunnel = client.runtime().tunnel(DatabaseCluster.NAME, stage.deadline())) {
            stage.narrateTimed(client.name() + " opened a tunnel to '" + DatabaseCluster.NAME + "'");
            for (int offset = 0; offset < file.length; offset += CHUNK_BYTES) {
                tunnel.send(Arrays.copyOfRange(file, offset, Math.min(file.length, offset + CHUNK_BYTES)), stage.deadline());
            }
            tunnel.closeSend();
            stage.narrateTimed(String.format(Locale.ROOT, "sent %d bytes in %d messages, then half-closed",
                    file.length, (file.length + CHUNK_BYTES - 1) / CHUNK_BYTES));
            byte[] receipt = tunnel.receive(stage.deadline());
            double seconds = (System.nanoTime() - started) / 1e9;
            if (receipt == null) {
                throw new DemoFailedException("the member closed the tunnel without a receipt");
            }
            String[] fields = new String(receipt, StandardCharsets.UTF_8).split(" ");
            stage.narrateTimed(fields[0] + " received " + fields[1] + " bytes, SHA-256 " + fields[2]);
            stage.narrate("");
            stage.narrate("sent     SHA-256 " + expected);
            stage.narrate("received SHA-256 " + fields[2]);
            if (!fields[2].equals(expected) || Long.parseLong(fields[1]) != file.length) {
                throw new DemoFailedException("the file arrived changed: " + fields[1] + " bytes with SHA-256 " + fields[2]
                        + ", sent " + file.length + " bytes with SHA-256 " + expected);
            }
            stage.narrate(String.format(Locale.ROOT, "They match: 8 MiB arrived intact and in order, %.1f MiB/s end to end.",
                    FILE_BYTES / (1024.0 * 1024.0) / seconds));
        } catch (IridiumException e) {
            throw new DemoFailedException("the tunnel failed: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
