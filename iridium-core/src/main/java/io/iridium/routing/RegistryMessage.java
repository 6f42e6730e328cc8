package io.iridium.routing;

import io.iridium.NodeId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The datagrams routing registries exchange. Every message names its sender's identity.
 *
 * <pre>
 *   anti-entropy (every sync interval, a → one random live member b):
 *     a ── Digest(SYNC, or CATCH_UP while a is not synced; versions of a) ──▶ b
 *     a ◀─ Update(what a lacks or holds older) ── b
 *     a ◀─ Pull(owners b lacks or holds older) ── b  ──▶  a ── Update(those) ──▶ b
 *     a ◀─ Digest(REPLY; versions of b) ── b        only for CATCH_UP: a checks that it has caught up
 *
 *   eager push (a changed local advertisement, or one first learned from a push):
 *     a ── Update(rumor = true) ──▶ pushFanout random live members, which forward what is new to them
 * </pre>
 *
 * <p>A message is limited in size ({@link RegistryConfig#maxMessageBytes()}); what does not fit
 * is split into several messages, each meaningful on its own. A digest part covers an explicit
 * range of owner identities, so the receiver can tell "not in this part" from "not held".
 */
public sealed interface RegistryMessage permits RegistryMessage.Digest, RegistryMessage.Update, RegistryMessage.Pull {

    /** The smallest node identity (the low end of the first digest part's range). */
    NodeId FIRST_ID = new NodeId(0, 0);
    /** The largest node identity (the high end of the last digest part's range). */
    NodeId LAST_ID = new NodeId(-1, -1);

    /** The identity of the node that sent this message. */
    NodeId sender();

    /**
     * One part of the sender's digest: the version of every advertisement it holds whose owner
     * lies in {@code [low, high]} (unsigned order of {@link NodeId}). The parts of one digest
     * tile the whole identity space, from {@link #FIRST_ID} to {@link #LAST_ID}.
     *
     * @param sender      the sender's identity
     * @param kind        why it was sent, which says how the receiver answers
     * @param part        0-based index of this part
     * @param parts       how many parts the digest was split into (1 or more)
     * @param low         the smallest owner this part speaks for (inclusive)
     * @param high        the largest owner this part speaks for (inclusive), not below {@code low}
     * @param versions    owner → version, every owner within {@code [low, high]}, versions non-negative
     */
    record Digest(NodeId sender, Kind kind, int part, int parts, NodeId low, NodeId high,
                  SortedMap<NodeId, Long> versions) implements RegistryMessage {
        /** Why a digest was sent. */
        public enum Kind {
            /** Periodic anti-entropy: answer with what the sender lacks and pull what we lack. */
            SYNC,
            /** As SYNC, and also answer with our own digest: the sender is catching up and checks it. */
            CATCH_UP,
            /** The answer to CATCH_UP: information only, nothing to send back. */
            REPLY
        }

        public Digest {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(low, "low");
            Objects.requireNonNull(high, "high");
            if (parts < 1 || part < 0 || part >= parts) {
                throw new IllegalArgumentException("digest part " + part + " of " + parts);
            }
            if (low.compareTo(high) > 0) {
                throw new IllegalArgumentException("digest range low " + low.toHex() + " above high " + high.toHex());
            }
            TreeMap<NodeId, Long> copy = new TreeMap<>();
            for (Map.Entry<NodeId, Long> entry : versions.entrySet()) {
                NodeId owner = Objects.requireNonNull(entry.getKey(), "owner");
                long version = Objects.requireNonNull(entry.getValue(), "version");
                if (owner.compareTo(low) < 0 || owner.compareTo(high) > 0) {
                    throw new IllegalArgumentException("digest owner " + owner.toHex() + " outside its range");
                }
                if (version < 0) {
                    throw new IllegalArgumentException("negative version " + version + " of " + owner);
                }
                copy.put(owner, version);
            }
            versions = Collections.unmodifiableSortedMap(copy);
        }

        /** A whole digest in one part. */
        public static Digest whole(NodeId sender, Kind kind, Map<NodeId, Long> versions) {
            return new Digest(sender, kind, 0, 1, FIRST_ID, LAST_ID, new TreeMap<>(versions));
        }

        /** Whether {@code owner} lies in this part's range. */
        public boolean covers(NodeId owner) {
            return owner.compareTo(low) >= 0 && owner.compareTo(high) <= 0;
        }
    }

    /**
     * Advertisements, at most one per owner.
     *
     * @param sender         the sender's identity
     * @param rumor          true for an eager push (receivers forward what is new to them), false
     *                       for an answer to a digest or a pull
     * @param advertisements the advertisements carried
     */
    record Update(NodeId sender, boolean rumor, List<Advertisement> advertisements) implements RegistryMessage {
        public Update {
            Objects.requireNonNull(sender, "sender");
            advertisements = List.copyOf(advertisements);
        }
    }

    /**
     * Asks the receiver for its advertisements of {@code owners}; it answers with an
     * {@link Update} of those it holds.
     *
     * @param sender the sender's identity
     * @param owners the owners whose advertisements the sender wants
     */
    record Pull(NodeId sender, List<NodeId> owners) implements RegistryMessage {
        public Pull {
            Objects.requireNonNull(sender, "sender");
            owners = List.copyOf(owners);
        }
    }
}
