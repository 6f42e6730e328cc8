package io.iridium.discovery;

/**
 * A beacon's bytes did not decode: wrong magic or version, a bad length, a bad port, or a host
 * that is not a well-formed address. The message says which; it never includes the raw bytes.
 */
public final class MalformedBeaconException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, for logs */
    public MalformedBeaconException(String message) {
        super(message);
    }
}
