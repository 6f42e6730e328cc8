package io.iridium.cli;

import io.iridium.security.NetworkKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iridium keygen}: writes a new network key (private key and self-signed certificate,
 * PEM) and prints its fingerprint and how to start nodes with it.
 *
 * <p>An existing file is never replaced without {@code --force}: replacing a key locks out every
 * node that still holds the old one.
 */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        header = "Writes a new network key.",
        description = {
            "Every node started with the same key forms one network; nothing without the key",
            "gets in. Keep the file secret."
        })
final class KeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key.")
    private Path out;

    @Option(names = "--network", paramLabel = "NAME", defaultValue = "iridium",
            description = "A name for the network, kept in the key: letters, digits, '.', '_', '-' (default: ${DEFAULT-VALUE}).")
    private String network;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    private boolean force;

    @Override
    public Integer call() {
        if (Files.exists(out) && !force) {
            throw alreadyExists();
        }
        NetworkKey key = NetworkKey.generate(network);
        try {
            key.write(out, force);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key to " + out, e);
        }

        PrintWriter printer = spec.commandLine().getOut();
        Path shown = out.toAbsolutePath().normalize();
        printer.println("Wrote the key of network \"" + key.networkName() + "\" to " + shown);
        printer.println("Fingerprint: " + key.fingerprint());
        printer.println();
        printer.println("Keep this file secret: whoever holds it can join the network.");
        printer.println("Copy it to each machine, then start the first node:");
        printer.println("  iridium node --key " + shown);
        printer.println("and every other node with the address of one already running:");
        printer.println("  iridium node --key " + shown + " --join HOST:" + io.iridium.Config.DEFAULT_PORT);
        printer.println("(Nodes on one LAN also find each other by multicast without --join.)");
        printer.flush();
        return 0;
    }

    private CommandFailure alreadyExists() {
        return new CommandFailure(out + " already exists; not replacing it (use --force to replace it,"
                + " which locks out every node that holds the old key)");
    }
}
