package io.iridium;

/**
 * A change in the membership of the network, offered to {@link MembershipListener}s.
 *
 * <p>Events for one member arrive in the order the local node saw the changes. A member that
 * was suspected and then refuted the suspicion produces {@link Suspected} then {@link Alive}.
 */
public sealed interface MembershipEvent {

    /** The member as it is after the change. */
    Member member();

    /** A member was seen for the first time. */
    record Joined(Member member) implements MembershipEvent {}

    /** A probe of the member failed; it may still refute. */
    record Suspected(Member member) implements MembershipEvent {}

    /** A suspected member refuted the suspicion and is alive again. */
    record Alive(Member member) implements MembershipEvent {}

    /** The member was declared failed. */
    record Failed(Member member) implements MembershipEvent {}

    /** The member left gracefully. */
    record Left(Member member) implements MembershipEvent {}
}
