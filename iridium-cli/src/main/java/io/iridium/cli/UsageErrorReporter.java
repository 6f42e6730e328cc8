package io.iridium.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Reports a usage error (a bad option value, a missing option, an unknown command) in two or
 * three short lines — what is wrong, any "did you mean" suggestions, and where the help is —
 * rather than picocli's default of repeating the whole usage text. Exit code 2.
 */
final class UsageErrorReporter implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = exception.getMessage();
        err.println(message.startsWith("Error: ") ? message.substring("Error: ".length()) : message);
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Run `" + commandLine.getCommandSpec().qualifiedName() + " --help` for usage.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
