package io.iridium.security;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link DatagramSealer#open} made of a datagram: its payload, or why it was rejected.
 * Rejection is an expected outcome on an open UDP port (strangers, other networks, replays), so
 * it is a value, never an exception.
 */
public sealed interface OpenResult permits OpenResult.Opened, OpenResult.Rejected {

    /**
     * An authentic, fresh, first-seen datagram.
     *
     * @param payload the sealed payload; a fresh array the receiver owns
     */
    record Opened(byte[] payload) implements OpenResult {
        /**
         * The opened payload.
         *
         * @throws NullPointerException if {@code payload} is null
         */
        public Opened {
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Opened that && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Opened[" + payload.length + " bytes]";
        }
    }

    /**
     * A datagram that was dropped.
     *
     * @param reason why
     */
    record Rejected(Reason reason) implements OpenResult {
        /**
         * A rejection.
         *
         * @throws NullPointerException if {@code reason} is null
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a datagram was rejected, in the order the checks run. */
    enum Reason {
        /** Shorter than the smallest possible envelope. */
        TOO_SHORT,
        /** An envelope version this build does not know. */
        UNKNOWN_VERSION,
        /** Sealed under another key (another network), or altered on the way. */
        AUTHENTICATION_FAILED,
        /** Its sender's timestamp is further than the maximum age from this node's clock. */
        STALE,
        /** Already accepted once (or too old for the replay guard to vouch for). */
        REPLAYED
    }
}
