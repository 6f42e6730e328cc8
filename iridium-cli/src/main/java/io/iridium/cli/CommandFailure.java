package io.iridium.cli;

/**
 * An expected way for a command to fail (no node answers, a file exists, a deadline passed):
 * its message is printed as is, without a stack trace, and the program exits with code 1.
 */
final class CommandFailure extends RuntimeException {

    CommandFailure(String message) {
        super(message, null, false, false);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
