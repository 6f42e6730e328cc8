package io.iridium;

/**
 * Receives membership changes. Called on the node's protocol thread (or the simulator's): keep
 * the work short and never block; hand anything slow to another executor.
 */
@FunctionalInterface
public interface MembershipListener {

    /** One change, in the order the local node saw it. */
    void onEvent(MembershipEvent event);
}
