package io.iridium.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A command of the {@code iridium} program running in this JVM on another thread, for tests of
 * the long-running commands ({@code serve}, {@code sub}): its output can be awaited while it runs,
 * its command object reached (to request a stop), and its exit code awaited.
 */
final class BackgroundCommand implements AutoCloseable {

    static final String EXITED = "[the command returned]";
    private static final Pattern ADDRESS = Pattern.compile(" at (\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+)");

    private final AwaitableOutput out = new AwaitableOutput();
    private final AwaitableOutput err = new AwaitableOutput();
    private final CommandLine commandLine;
    private final CompletableFuture<Integer> exit;

    private BackgroundCommand(String... args) {
        commandLine = Main.commandLine().setOut(out.printWriter()).setErr(err.printWriter());
        exit = CompletableFuture.supplyAsync(() -> commandLine.execute(args));
        exit.whenComplete((code, failure) -> err.printWriter().println(EXITED));
    }

    /** Starts {@code iridium args...}. */
    static BackgroundCommand start(String... args) {
        return new BackgroundCommand(args);
    }

    AwaitableOutput out() {
        return out;
    }

    AwaitableOutput err() {
        return err;
    }

    /** Waits until standard error says {@code ready}, then returns the node address printed there. */
    String awaitAddress(String ready, Duration timeout) throws Exception {
        String text = err.awaitAnyOf(timeout, ready, EXITED);
        Matcher matcher = ADDRESS.matcher(text);
        if (!text.contains(ready) || !matcher.find()) {
            throw new AssertionError("the command did not get ready:\n--- out\n" + out.text() + "--- err\n" + text);
        }
        return matcher.group(1);
    }

    /** The command object of subcommand {@code name}. */
    <T> T command(String name) {
        return commandLine.getSubcommands().get(name).getCommand();
    }

    int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks a serve or sub command to stop, as SIGINT would, if it still runs. */
    @Override
    public void close() {
        for (String name : new String[] {"serve", "sub"}) {
            Object command = commandLine.getSubcommands().get(name).getCommand();
            if (command instanceof ServeCommand serve) {
                serve.stopSignal.request("test stop");
            } else if (command instanceof SubscribeCommand sub) {
                sub.stopSignal.request("test stop");
            }
        }
        exit.join();
    }
}
