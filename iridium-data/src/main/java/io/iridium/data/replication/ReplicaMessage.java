package io.iridium.data.replication;

import io.iridium.data.ReplicaId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages replicas exchange. Every message names its sender's {@link ReplicaId} (the
 * identity of the node incarnation hosting it), so that a reply can be addressed and a
 * broadcast from oneself ignored.
 *
 * <pre>
 *   gossip          Deltas ──────────────────────▶ every replica (broadcast, no reply)
 *   anti-entropy    Digest ──▶ DigestReply ──▶ Push        (A → B → A → B)
 *   MAJORITY/ALL    Write  ──▶ WriteAck                    (to each replica)
 *                   Read   ──▶ ReadReply
 *   leaving         Handoff ─▶ HandoffAck                  (to one heir)
 *   membership      Departed ────────────────────▶ each known replica, and in anti-entropy
 * </pre>
 * Anti-entropy sends digests first (a 64-bit hash of each key's canonical state) and then
 * only the keys whose hashes differ: B answers A's digest with its states of the keys that
 * differ or that A lacks, and names the keys it wants; A merges and pushes those.
 */
public sealed interface ReplicaMessage {

    /** The replica that sent the message. */
    ReplicaId from();

    /** A batch of deltas, one per changed key, joined since the last batch. */
    record Deltas(ReplicaId from, List<KeyState> states) implements ReplicaMessage {
        /** Validates and copies. */
        public Deltas {
            Objects.requireNonNull(from, "from");
            states = List.copyOf(states);
        }
    }

    /** The sender's digest: a hash of the canonical encoding of each key's state. */
    record Digest(ReplicaId from, Map<String, Long> hashes) implements ReplicaMessage {
        /** Validates and copies. */
        public Digest {
            Objects.requireNonNull(from, "from");
            hashes = Map.copyOf(hashes);
        }
    }

    /** The answer to a digest: the responder's states that differ, and the keys it wants. */
    record DigestReply(ReplicaId from, List<KeyState> states, List<String> wanted) implements ReplicaMessage {
        /** Validates and copies. */
        public DigestReply {
            Objects.requireNonNull(from, "from");
            states = List.copyOf(states);
            wanted = List.copyOf(wanted);
        }
    }

    /** Full states the receiver asked for in a {@link DigestReply}. */
    record Push(ReplicaId from, List<KeyState> states) implements ReplicaMessage {
        /** Validates and copies. */
        public Push {
            Objects.requireNonNull(from, "from");
            states = List.copyOf(states);
        }
    }

    /** A write that wants an acknowledgement once the receiver has merged it. */
    record Write(ReplicaId from, long id, KeyState delta) implements ReplicaMessage {
        /** Validates the record. */
        public Write {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(delta, "delta");
        }
    }

    /** The receiver of {@link Write} {@code id} has merged it (and persisted it, when durable). */
    record WriteAck(ReplicaId from, long id) implements ReplicaMessage {
        /** Validates the record. */
        public WriteAck {
            Objects.requireNonNull(from, "from");
        }
    }

    /** A read that wants the receiver's state of {@code key}. */
    record Read(ReplicaId from, long id, String key) implements ReplicaMessage {
        /** Validates the record. */
        public Read {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(key, "key");
        }
    }

    /** The receiver's state of the key of {@link Read} {@code id}, empty when it has none. */
    record ReadReply(ReplicaId from, long id, Optional<KeyState> state) implements ReplicaMessage {
        /** Validates the record. */
        public ReadReply {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * A replica that is leaving for good hands its counter states to the receiver, its heir,
     * which merges them and retires the sender's counter entries into its own (see
     * {@link ReplicaCore#leave}).
     */
    record Handoff(ReplicaId from, long id, List<KeyState> states) implements ReplicaMessage {
        /** Validates and copies. */
        public Handoff {
            Objects.requireNonNull(from, "from");
            states = List.copyOf(states);
        }
    }

    /**
     * The heir's answer to {@link Handoff} {@code id}: {@code accepted} when it has retired the
     * sender's entries (and persisted them, when durable); a refusal means it changed nothing
     * (it is leaving itself), so the sender may ask another replica.
     */
    record HandoffAck(ReplicaId from, long id, boolean accepted) implements ReplicaMessage {
        /** Validates the record. */
        public HandoffAck {
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * Replicas that left the set for good (a graceful leave, a predecessor incarnation replaced by
     * a restart on the same data directory, or an operator's removal): the receiver stops
     * counting them toward MAJORITY and ALL. Sent by the leaver when it goes and gossiped with
     * anti-entropy, so a lost announcement is repeated.
     */
    record Departed(ReplicaId from, List<ReplicaId> replicas) implements ReplicaMessage {
        /** Validates and copies. */
        public Departed {
            Objects.requireNonNull(from, "from");
            replicas = List.copyOf(replicas);
        }
    }
}
