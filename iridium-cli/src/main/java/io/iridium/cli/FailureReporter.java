package io.iridium.cli;

import io.iridium.IridiumException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns an exception thrown by a command into one line on standard error and exit code 1.
 *
 * <p>Expected failures — a bad configuration ({@link IllegalArgumentException}), an address
 * that cannot be bound or a file that cannot be written ({@link UncheckedIOException}), a
 * messaging call's typed failure ({@link IridiumException}: no members, timed out, ...), a
 * {@link CommandFailure} — print only their message. Anything else is a bug: its stack trace is
 * printed too, so that it can be reported.
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(
            Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        String command = commandLine.getCommandSpec().qualifiedName();
        boolean expected = exception instanceof CommandFailure
                || exception instanceof IridiumException
                || exception instanceof IllegalArgumentException
                || exception instanceof UncheckedIOException;
        String message = exception.getMessage() != null ? exception.getMessage() : exception.toString();
        if (exception instanceof UncheckedIOException io && io.getCause() != null
                && io.getCause().getMessage() != null && !message.contains(io.getCause().getMessage())) {
            message = message + ": " + io.getCause().getMessage();
        }
        commandLine.getErr().println(command + ": " + message);
        if (!expected) {
            exception.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }
}
