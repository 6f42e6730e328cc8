package io.iridium.cli;

import io.iridium.ServiceHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code iridium serve --exec CMD}: runs {@code /bin/sh -c CMD} once per request, with the
 * request's bytes on its standard input; its standard output is the reply. A non-zero exit
 * answers with a remote error carrying the first line of its standard error (or the exit status
 * when it printed none). Broadcasts are printed, not run; tunnels are refused.
 *
 * <p>Standard input is written, and standard error drained, on their own virtual threads while
 * the handler reads standard output, so a command that reads and writes a lot never deadlocks
 * on a full pipe. A handler interrupted while waiting (the service is closing) kills the process.
 */
final class ExecService implements ServiceHandler {

    private final String command;
    private final ServeLog log;

    ExecService(String command, ServeLog log) {
        this.command = command;
        this.log = log;
    }

    @Override
    public byte[] handleRequest(byte[] request) throws CommandExitedException, IOException, InterruptedException {
        long number = log.nextRequest();
        long started = System.nanoTime();
        Process process = new ProcessBuilder("/bin/sh", "-c", command).start();
        try {
            Thread.ofVirtual().name("iridium-exec-stdin").start(() -> feed(process.getOutputStream(), request));
            CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
            byte[] reply = process.getInputStream().readAllBytes();
            int status = process.waitFor();
            if (status != 0) {
                String firstLine = firstLine(stderr.get());
                String why = firstLine.isEmpty() ? "`" + command + "` exited with status " + status : firstLine;
                log.failed(number, request.length, why);
                throw new CommandExitedException(why);
            }
            log.replied(number, request.length, reply.length, started);
            return reply;
        } catch (ExecutionException e) {
            throw new IOException("cannot read the standard error of `" + command + "`", e.getCause());
        } finally {
            process.destroyForcibly();
        }
    }

    @Override
    public void handleBroadcast(byte[] message) {
        log.broadcast(message);
    }

    @Override
    public void handleDrop(Throwable reason) {
        log.dropped(reason);
    }

    private static void feed(OutputStream stdin, byte[] request) {
        try (stdin) {
            stdin.write(request);
        } catch (IOException e) {
            // The command exited without reading all of its input: its output still counts.
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> drained = new CompletableFuture<>();
        Thread.ofVirtual().name("iridium-exec-stderr").start(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (stream) {
                stream.transferTo(bytes);
                drained.complete(bytes.toByteArray());
            } catch (IOException e) {
                drained.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return drained;
    }

    private static String firstLine(byte[] stderr) {
        return new String(stderr, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).findFirst().orElse("");
    }

    /** The command exited with a non-zero status; the message is what the requester sees. */
    static final class CommandExitedException extends Exception {
        CommandExitedException(String message) {
            super(message, null, false, false);
        }
    }
}
