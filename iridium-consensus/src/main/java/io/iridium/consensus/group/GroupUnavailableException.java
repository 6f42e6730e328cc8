package io.iridium.consensus.group;

/**
 * A group could not complete a request before the caller's deadline: it had no leader, its
 * members were unreachable, or it kept answering "retry". A command that fails this way may or
 * may not have been applied; retrying it with the same session (the same {@link GroupClient})
 * is safe only through {@link GroupClient#retryLast()}, which reuses its sequence number.
 */
public final class GroupUnavailableException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what was tried and the last reason given
     */
    public GroupUnavailableException(String message) {
        super(message);
    }
}
