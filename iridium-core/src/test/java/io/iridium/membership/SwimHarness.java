package io.iridium.membership;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import io.iridium.env.Environment;
import io.iridium.membership.SwimMessage.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One {@link Swim} under test with a hand-driven clock, a seeded generator, and recorded
 * outbox and events: tests feed it messages and ticks and inspect what it sent and reported.
 */
final class SwimHarness {

    record Sent(long at, Endpoint to, SwimMessage message) {}

    final SwimConfig config;
    final Member self;
    final List<Sent> sent = new ArrayList<>();
    final List<MembershipEvent> events = new ArrayList<>();
    final Swim swim;
    private final SplittableRandom random;
    private long now = 1_000_000;
    private int respondedUpTo;
    /** Whether members 1.. answer pings (and ping-reqs) sent to them, right after each tick. */
    boolean autoRespond = true;
    /** Members that never answer and cannot be reached through helpers. */
    final java.util.Set<Integer> silent = new java.util.HashSet<>();

    SwimHarness(SwimConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.self = member(0, MemberState.ALIVE, 0);
        Environment env = new Environment() {
            @Override
            public long nowMillis() {
                return now;
            }

            @Override
            public RandomGenerator random() {
                return random;
            }
        };
        this.swim = new Swim(config, self, env, (to, message) -> sent.add(new Sent(now, to, message)), events::add);
    }

    SwimHarness() {
        this(SwimConfig.lan(), 42);
    }

    static NodeId id(int index) {
        return new NodeId(0x1000 + index, index);
    }

    static Endpoint address(int index) {
        return new Endpoint("10.0.0." + (index + 1), 7946);
    }

    static Member member(int index, MemberState state, long incarnation) {
        return new Member(id(index), "n" + index, address(index), incarnation, state);
    }

    long now() {
        return now;
    }

    /** Advances the clock by {@code millis}, ticking every tickMillis on the way. */
    void advance(long millis) {
        long end = now + millis;
        while (now + config.tickMillis() <= end) {
            now += config.tickMillis();
            swim.tick();
            respond();
        }
        now = end;
    }

    /** Ticks until the node sends its next Ping (at most a minute) and returns it. */
    SwimMessage.Ping advanceToNextPing() {
        int seen = sentOf(SwimMessage.Ping.class).size();
        for (int i = 0; i < 60_000 / config.tickMillis(); i++) {
            advance(config.tickMillis());
            List<SwimMessage.Ping> pings = sentOf(SwimMessage.Ping.class);
            if (pings.size() > seen) {
                return pings.get(seen);
            }
        }
        throw new AssertionError("no ping within a minute");
    }

    private static int indexOf(Endpoint address) {
        String host = address.host();
        return Integer.parseInt(host.substring(host.lastIndexOf('.') + 1)) - 1;
    }

    /** Plays the other members: acks pings to them, and acks or nacks ping-reqs they receive. */
    private void respond() {
        if (!autoRespond) {
            respondedUpTo = sent.size();
            return;
        }
        while (respondedUpTo < sent.size()) {
            Sent s = sent.get(respondedUpTo++);
            int to = indexOf(s.to());
            if (to < 1 || silent.contains(to)) {
                continue;
            }
            switch (s.message()) {
                case SwimMessage.Ping p when p.targetId().equals(id(to)) ->
                        swim.receive(s.to(), new SwimMessage.Ack(id(to), s.to(), p.sequence(), List.of()));
                case SwimMessage.PingReq r -> {
                    int target = indexOf(r.targetAddress());
                    SwimMessage answer = silent.contains(target)
                            ? new SwimMessage.Nack(id(to), s.to(), r.sequence(), List.of())
                            : new SwimMessage.Ack(id(to), s.to(), r.sequence(), List.of());
                    swim.receive(s.to(), answer);
                }
                default -> { }
            }
        }
    }

    /** Delivers {@code updates} as a rumor from member {@code from}. */
    void gossip(int from, Update... updates) {
        swim.receive(address(from), new SwimMessage.Rumor(id(from), address(from), List.of(updates)));
    }

    void gossip(int from, Member member) {
        gossip(from, new Update(member, id(from)));
    }

    /** Makes members 1..count known and ALIVE at incarnation 0. */
    void addAlive(int count) {
        for (int i = 1; i <= count; i++) {
            gossip(i, member(i, MemberState.ALIVE, 0));
        }
    }

    Member memberView(int index) {
        return swim.members().stream().filter(m -> m.id().equals(id(index))).findFirst().orElse(null);
    }

    <T extends SwimMessage> List<T> sentOf(Class<T> type) {
        return sent.stream().map(Sent::message).filter(type::isInstance).map(type::cast).toList();
    }

    /** Every update sent so far, piggybacked or in rumors. */
    List<Update> sentUpdates() {
        List<Update> all = new ArrayList<>();
        for (Sent s : sent) {
            switch (s.message()) {
                case SwimMessage.Ping p -> all.addAll(p.gossip());
                case SwimMessage.Ack a -> all.addAll(a.gossip());
                case SwimMessage.PingReq r -> all.addAll(r.gossip());
                case SwimMessage.Nack n -> all.addAll(n.gossip());
                case SwimMessage.Rumor r -> all.addAll(r.gossip());
                case SwimMessage.PushPull p -> { }
            }
        }
        return all;
    }

    List<Class<?>> eventTypesAbout(int index) {
        return events.stream().filter(e -> e.member().id().equals(id(index))).<Class<?>>map(Object::getClass).toList();
    }
}
