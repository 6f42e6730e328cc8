package io.iridium.membership;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * The datagrams SWIM nodes exchange. Every message names its sender's identity and the address
 * it advertises, so that a reply (and first contact with an unknown node) needs nothing else.
 *
 * <pre>
 *   prober                  helper                  target
 *     │──── Ping(seq) ──────────────────────────────▶│     direct probe
 *     │◀─── Ack(seq) ────────────────────────────────│
 *     │                                              │     ...or, after probeTimeout:
 *     │── PingReq(seq) ─▶│── Ping(seq') ────────────▶│     indirect probe
 *     │◀─ Ack(seq) ──────│◀─ Ack(seq') ──────────────│
 *     │◀─ Nack(seq) ─────│   (no ack in time: the helper tells the prober its own path works)
 *
 *   any ── Rumor ──▶ any                 gossip only, when there is something to spread
 *   a ── PushPull(reply=false) ──▶ b     a's full state, in one or more parts;
 *   a ◀─ PushPull(reply=true) ─── b      b merges it and answers with its own
 * </pre>
 *
 * <p>Ping, Ack, PingReq, Nack and Rumor carry piggybacked {@link Update}s, newest and
 * least-transmitted first, as many as fit in one datagram.
 */
public sealed interface SwimMessage
        permits SwimMessage.Ping, SwimMessage.Ack, SwimMessage.PingReq, SwimMessage.Nack,
                SwimMessage.Rumor, SwimMessage.PushPull {

    /** The identity of the node that sent this datagram. */
    NodeId senderId();

    /** Where the sender listens: replies go there. */
    Endpoint senderAddress();

    /**
     * One piece of gossip: a member's state as {@code reporter} asserted it. The reporter matters
     * for suspicion: Lifeguard counts independent suspecters to shorten the suspicion timeout.
     *
     * @param member   the member's identity, address, incarnation and state
     * @param reporter who asserted the state (for ALIVE, usually the member itself)
     */
    record Update(Member member, NodeId reporter) {
        public Update {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(reporter, "reporter");
        }
    }

    /** A direct probe of {@code targetId}; a node with another identity ignores it. */
    record Ping(NodeId senderId, Endpoint senderAddress, long sequence, NodeId targetId, List<Update> gossip)
            implements SwimMessage {
        public Ping {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(senderAddress, "senderAddress");
            Objects.requireNonNull(targetId, "targetId");
            gossip = List.copyOf(gossip);
        }
    }

    /** The answer to a {@link Ping}, or a helper relaying the target's answer to the prober. */
    record Ack(NodeId senderId, Endpoint senderAddress, long sequence, List<Update> gossip) implements SwimMessage {
        public Ack {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(senderAddress, "senderAddress");
            gossip = List.copyOf(gossip);
        }
    }

    /** Asks the receiver to probe {@code targetId} at {@code targetAddress} on the sender's behalf. */
    record PingReq(NodeId senderId, Endpoint senderAddress, long sequence, NodeId targetId, Endpoint targetAddress,
                   List<Update> gossip) implements SwimMessage {
        public PingReq {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(senderAddress, "senderAddress");
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(targetAddress, "targetAddress");
            gossip = List.copyOf(gossip);
        }
    }

    /** A helper's report that the target did not answer its ping in time (Lifeguard). */
    record Nack(NodeId senderId, Endpoint senderAddress, long sequence, List<Update> gossip) implements SwimMessage {
        public Nack {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(senderAddress, "senderAddress");
            gossip = List.copyOf(gossip);
        }
    }

    /** Gossip with no probe attached, sent to a few random members each gossip interval. */
    record Rumor(NodeId senderId, Endpoint senderAddress, List<Update> gossip) implements SwimMessage {
        public Rumor {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(senderAddress, "senderAddress");
            gossip = List.copyOf(gossip);
        }
    }

    /**
     * One part of a full-state exchange. A state larger than one datagram is split into
     * {@code parts} datagrams; each part merges on its own, so a lost part loses only its members.
     *
     * @param reply   false when the receiver should answer with its own state, true for the answer
     * @param part    0-based index of this part
     * @param parts   how many parts the state was split into
     * @param members the members in this part, with their states and incarnations
     */
    record PushPull(NodeId senderId, Endpoint senderAddress, boolean reply, int part, int parts, List<Member> members)
            implements SwimMessage {
        public PushPull {
            Objects.requireNonNull(senderId, "senderId");
            Objects.requireNonNull(senderAddress, "senderAddress");
            if (parts < 1 || part < 0 || part >= parts) {
                throw new IllegalArgumentException("part " + part + " of " + parts);
            }
            members = List.copyOf(members);
        }
    }
}
