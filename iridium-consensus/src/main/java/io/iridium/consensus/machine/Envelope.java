package io.iridium.consensus.machine;

import java.util.Objects;

/**
 * What one log entry carries: a command, the session it belongs to, and the time its leader
 * stamped on it.
 *
 * <p>A session is a client id with a sequence number that grows by one per command. A client
 * retries a command with the same sequence number until it learns the outcome; the state machine
 * applies each (client, sequence) once and answers a repeat with the cached result. Client id 0
 * means "no session": such a command is applied every time it is committed.
 *
 * @param clientId  the session's id, random and unique per client; 0 for none
 * @param sequence  the command's number in its session, from 1 (ignored without a session)
 * @param timestamp the proposing leader's wall clock in milliseconds: the only time the state
 *                  machine knows (lease expiry), taken as a maximum so it never runs backwards
 * @param command   the command
 */
public record Envelope(long clientId, long sequence, long timestamp, Command command) {

    /** Validates the fields. */
    public Envelope {
        Objects.requireNonNull(command, "command");
        if (clientId != 0 && sequence < 1) {
            throw new IllegalArgumentException("a session's sequence numbers start at 1, got " + sequence);
        }
    }

    /**
     * The same command stamped with another time (a leader stamps what it proposes).
     *
     * @param millis the leader's clock
     * @return the stamped envelope
     */
    public Envelope stamped(long millis) {
        return new Envelope(clientId, sequence, millis, command);
    }
}
