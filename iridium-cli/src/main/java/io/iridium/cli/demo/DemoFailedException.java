package io.iridium.cli.demo;

/**
 * The demonstration could not show what it set out to: its message says which act, what was
 * expected, and what the nodes saw instead.
 */
public final class DemoFailedException extends RuntimeException {

    DemoFailedException(String message) {
        super(message, null, false, false);
    }
}
