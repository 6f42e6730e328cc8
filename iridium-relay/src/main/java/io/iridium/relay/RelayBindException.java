package io.iridium.relay;

/** The relay could not listen on its address (most often: another process holds the port). */
public final class RelayBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RelayBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
