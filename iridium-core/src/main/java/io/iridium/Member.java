package io.iridium;

import java.util.Objects;

/**
 * One node as the membership protocol sees it: an immutable snapshot.
 *
 * @param id          the node's identity for this incarnation of its process
 * @param name        a human-readable name (not necessarily unique)
 * @param address     where it listens for datagrams and data-plane connections
 * @param incarnation raised only by the member itself, to refute suspicion
 * @param state       the failure detector's verdict
 */
public record Member(NodeId id, String name, Endpoint address, long incarnation, MemberState state) {

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }

    /** The same member in another state at another incarnation. */
    public Member with(MemberState newState, long newIncarnation) {
        return new Member(id, name, address, newIncarnation, newState);
    }
}
