package io.iridium.discovery;

import io.iridium.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Records join attempts with their virtual times; liveness is set by the test. */
final class FakeJoiner implements Discovery.Joiner {

    record Attempt(long atMillis, Endpoint address) {}

    private final FakeEnvironment env;
    final List<Attempt> attempts = new ArrayList<>();
    final Set<Endpoint> live = new HashSet<>();
    /** Endpoints whose join succeeds: joining one makes it live at once. */
    final Set<Endpoint> reachable = new HashSet<>();
    /** Live members known that are not candidates (so the node is not alone). */
    int otherLiveMembers;

    FakeJoiner(FakeEnvironment env) {
        this.env = env;
    }

    @Override
    public void join(Endpoint address) {
        attempts.add(new Attempt(env.nowMillis(), address));
        if (reachable.contains(address)) {
            live.add(address);
        }
    }

    @Override
    public boolean isKnownLive(Endpoint address) {
        return live.contains(address);
    }

    @Override
    public int liveMemberCount() {
        return live.size() + otherLiveMembers;
    }

    List<Long> timesOf(Endpoint address) {
        return attempts.stream().filter(a -> a.address().equals(address)).map(Attempt::atMillis).toList();
    }

    long countOf(Endpoint address) {
        return attempts.stream().filter(a -> a.address().equals(address)).count();
    }
}
