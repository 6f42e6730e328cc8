package io.iridium.discovery;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.membership.Swim;

/**
 * Adapts the SWIM core to what {@link Discovery} needs of membership: joining through an
 * address, and knowing which addresses already belong to live members. Called on the protocol
 * thread, like both cores.
 */
public record SwimJoiner(Swim swim) implements Discovery.Joiner {

    @Override
    public void join(Endpoint address) {
        swim.join(address);
    }

    @Override
    public boolean isKnownLive(Endpoint address) {
        return swim.isKnownLive(address);
    }

    @Override
    public int liveMemberCount() {
        int live = 0;
        for (Member member : swim.members()) {
            if (member.state().isLive() && !member.id().equals(swim.self().id())) {
                live++;
            }
        }
        return live;
    }
}
