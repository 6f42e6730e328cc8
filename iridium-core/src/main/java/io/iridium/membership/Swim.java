package io.iridium.membership;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.MembershipEvent;
import io.iridium.MembershipListener;
import io.iridium.NodeId;
import io.iridium.env.Environment;
import io.iridium.env.Outbox;
import io.iridium.membership.SwimMessage.Ack;
import io.iridium.membership.SwimMessage.Nack;
import io.iridium.membership.SwimMessage.Ping;
import io.iridium.membership.SwimMessage.PingReq;
import io.iridium.membership.SwimMessage.PushPull;
import io.iridium.membership.SwimMessage.Rumor;
import io.iridium.membership.SwimMessage.Update;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The SWIM failure detector and membership gossip of one node, with Lifeguard's refinements:
 * a single-threaded, sans-I/O state machine.
 *
 * <h2>Driving it</h2>
 * The driver calls {@link #tick()} every {@link SwimConfig#tickMillis()}, calls
 * {@link #receive(Endpoint, SwimMessage)} for each decoded datagram, and transmits whatever the
 * core hands to its {@link Outbox}. All methods must be called from one thread (the node's
 * protocol loop or the simulator); the listener is called on that thread, synchronously, and
 * must not throw or call back into this object. Nothing here blocks, reads a clock (time is
 * {@link Environment#nowMillis()}) or draws randomness of its own ({@link Environment#random()}).
 *
 * <h2>Protocol (memberlist's, step by step)</h2>
 * <pre>
 *  every period × (health + 1):  next target in a shuffled round-robin of live members
 *     Ping ──▶ target                  ack within probeTimeout × (health + 1)?  done, health − 1
 *     PingReq ──▶ k random members     ack (relayed) before the period ends?    done
 *                                      otherwise: health + missing nacks (or + 1), suspect target
 *  suspect ──(timeout, shrinking with independent confirmations)──▶ dead
 *  a node that hears itself suspected or dead refutes: incarnation + 1, gossip Alive, health + 1
 * </pre>
 * Updates (Alive, Suspect, Dead, Left) are piggybacked on every Ping, Ack, PingReq and Nack and
 * sent in Rumor datagrams to {@code gossipFanout} random members every gossip interval, each up
 * to {@code retransmitMultiplier × ceil(log10(n + 1))} times. Every push-pull interval (scaled up
 * past 32 members, as memberlist does) the full state goes to one random live member, which
 * merges it and answers with its own; every reconnect interval the same goes to one random DEAD
 * member, so the halves of a healed partition find each other. A node that hears directly from a
 * member it does not know at all (its join gossip ran out before reaching this node) starts a
 * push-pull with it at once, at most once a protocol period per stranger, instead of waiting for
 * the next push-pull interval.
 *
 * <h2>Precedence (per member identity)</h2>
 * <ul>
 *   <li>Alive(i) replaces Alive/Suspect/Dead at a lower incarnation;</li>
 *   <li>Suspect(i) replaces Alive(j) when i ≥ j, and a Suspect at a lower incarnation;</li>
 *   <li>Dead(i) and Left(i) replace any live state when i ≥ j; Left is final;</li>
 *   <li>in a pushed full state, Dead counts as Suspect (memberlist's rule), so the accused gets a
 *       chance to refute instead of being declared dead second-hand; and a full state only
 *       introduces ALIVE members, so verdicts about forgotten identities are not replanted.</li>
 * </ul>
 *
 * <h2>Events</h2>
 * Exactly one event per transition: first sight of a live member → Joined; Alive → Suspect →
 * Suspected; Suspect/Dead → Alive (refuted or came back) → Alive; live → Dead → Failed;
 * live → Left → Left. Dead → Left and changes of incarnation within a state are silent, and so
 * are members first learned of as DEAD or LEFT.
 */
public final class Swim {

    private final SwimConfig config;
    private final Environment environment;
    private final RandomGenerator random;
    private final Outbox<SwimMessage> outbox;
    private final MembershipListener listener;

    private Member self;
    private boolean leaving;

    /** How many strangers {@link #syncWithStranger} remembers before it starts afresh. */
    private static final int MAX_STRANGERS_REMEMBERED = 256;

    private final Map<NodeId, Peer> peers = new LinkedHashMap<>();
    private final List<Peer> peerList = new ArrayList<>();
    private final Set<NodeId> tombstones = new LinkedHashSet<>();
    private final Map<NodeId, Suspicion> suspicions = new LinkedHashMap<>();
    /** When this node last started a push-pull with a sender it did not know (bounded; see {@link #syncWithStranger}). */
    private final Map<NodeId, Long> strangersSyncedAt = new LinkedHashMap<>();
    private int livePeers;

    private final GossipQueue gossip = new GossipQueue();
    private final LocalHealth health;

    private final List<NodeId> probeOrder = new ArrayList<>();
    private int probeCursor;
    private Probe probe;
    private final Map<Long, Relay> relays = new LinkedHashMap<>();
    private long nextSequence;

    private long nextProbeAt;
    private long nextGossipAt;
    private long nextPushPullAt;
    private long nextReconnectAt;
    private long nextReapAt;

    /** What this node knows about one other member identity. */
    private static final class Peer {
        Member member;
        long changedAt;
        boolean announced;
        long toldDeadAt = Long.MIN_VALUE;

        Peer(Member member, long changedAt) {
            this.member = member;
            this.changedAt = changedAt;
        }
    }

    /** The probe in flight: one per protocol period. */
    private static final class Probe {
        final long sequence;
        final NodeId target;
        final Endpoint targetAddress;
        final long indirectAt;
        final long deadline;
        boolean indirectSent;
        int expectedNacks;
        int nacks;

        Probe(long sequence, NodeId target, Endpoint targetAddress, long indirectAt, long deadline) {
            this.sequence = sequence;
            this.target = target;
            this.targetAddress = targetAddress;
            this.indirectAt = indirectAt;
            this.deadline = deadline;
        }
    }

    /** An indirect probe this node runs for another: relay the ack, or nack at {@code nackAt}. */
    private static final class Relay {
        final Endpoint requester;
        final long requesterSequence;
        final long nackAt;
        final long expiresAt;
        boolean nacked;

        Relay(Endpoint requester, long requesterSequence, long nackAt, long expiresAt) {
            this.requester = requester;
            this.requesterSequence = requesterSequence;
            this.nackAt = nackAt;
            this.expiresAt = expiresAt;
        }
    }

    /**
     * A member of no network yet: call {@link #join(Endpoint)} with a seed, or wait to be joined.
     *
     * @param self     this node; its state must be ALIVE
     * @param outbox   where datagrams to send go; sending must not block or throw
     * @param listener told of every membership transition, on the calling thread
     */
    public Swim(SwimConfig config, Member self, Environment env, Outbox<SwimMessage> outbox, MembershipListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.self = Objects.requireNonNull(self, "self");
        this.environment = Objects.requireNonNull(env, "env");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (self.state() != MemberState.ALIVE) {
            throw new IllegalArgumentException("a node starts ALIVE, not " + self.state());
        }
        this.random = env.random();
        this.health = new LocalHealth(config.maxLocalHealth());
        // Probe sequences start at a random point, so that late acks meant for an earlier
        // process at the same address are unlikely to match a probe of this one.
        this.nextSequence = random.nextLong(1L << 48);
        long now = env.nowMillis();
        // Stagger the periodic work so that nodes started together do not act in lockstep.
        nextProbeAt = now + random.nextLong(config.protocolPeriodMillis());
        nextGossipAt = now + random.nextLong(config.gossipIntervalMillis());
        nextPushPullAt = now + random.nextLong(1, config.pushPullIntervalMillis() + 1);
        nextReconnectAt = now + config.reconnectIntervalMillis() + random.nextLong(config.reconnectIntervalMillis());
        nextReapAt = now + config.protocolPeriodMillis();
    }

    // ------------------------------------------------------------------------------------------
    // Public API

    /** Advances timers: probes, suspicion timeouts, gossip, push-pull, reconnect, forgetting. */
    public void tick() {
        long now = environment.nowMillis();
        expireSuspicions(now);
        advanceProbe(now);
        expireRelays(now);
        if (now >= nextGossipAt) {
            nextGossipAt = now + config.gossipIntervalMillis();
            gossipRound();
        }
        if (!leaving && now >= nextPushPullAt) {
            nextPushPullAt = now + config.pushPullIntervalMillis();
            // The timer runs at the base interval; thinning each firing to a chance of
            // base / scaled keeps the average at memberlist's scaled interval as the network
            // grows, without the nodes that started together falling into step.
            double chance = (double) config.pushPullIntervalMillis() / pushPullInterval();
            Peer partner = random.nextDouble() < chance ? randomPeer(p -> p.member.state() == MemberState.ALIVE) : null;
            if (partner != null) {
                sendState(partner.member.address(), false);
            }
        }
        if (!leaving && now >= nextReconnectAt) {
            nextReconnectAt = now + config.reconnectIntervalMillis();
            reconnect();
        }
        if (now >= nextReapAt) {
            nextReapAt = now + config.protocolPeriodMillis();
            forgetOldTombstones(now);
        }
    }

    /** Handles one decoded datagram; {@code from} is where it came from (replies use the advertised address). */
    public void receive(Endpoint from, SwimMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.senderId().equals(self.id())) {
            return;
        }
        tellTheDeadTheyAreDead(message);
        switch (message) {
            case Ping ping -> {
                if (ping.targetId().equals(self.id())) {
                    send(ping.senderAddress(), new Ack(self.id(), self.address(), ping.sequence(),
                            piggyback(ping.senderAddress())));
                }
                applyAll(ping.gossip());
            }
            case Ack ack -> {
                applyAll(ack.gossip());
                onAck(ack.sequence());
            }
            case PingReq request -> {
                applyAll(request.gossip());
                relayProbe(request);
            }
            case Nack nack -> {
                applyAll(nack.gossip());
                if (probe != null && probe.sequence == nack.sequence()) {
                    probe.nacks++;
                }
            }
            case Rumor rumor -> applyAll(rumor.gossip());
            case PushPull state -> {
                for (Member member : state.members()) {
                    apply(member, message.senderId(), true);
                }
                if (!state.reply() && state.part() == 0 && !leaving) {
                    sendState(state.senderAddress(), true);
                }
            }
        }
        syncWithStranger(message);
    }

    /** Sends this node's full state to {@code address}, which answers with its own (push-pull). */
    public void join(Endpoint address) {
        Objects.requireNonNull(address, "address");
        if (!address.equals(self.address())) {
            sendState(address, false);
        }
    }

    /**
     * Announces this node's departure: marks itself LEFT at its current incarnation and sends the
     * news at once to {@code gossipFanout × 2} random members; later ticks keep gossiping it. The
     * driver should keep ticking for a second or two, then stop. Idempotent.
     */
    public void leave() {
        if (leaving) {
            return;
        }
        leaving = true;
        probe = null;
        self = self.with(MemberState.LEFT, self.incarnation());
        Update update = new Update(self, self.id());
        gossip.enqueue(update);
        List<Peer> targets = randomPeers(config.gossipFanout() * 2, p -> p.member.state().isLive());
        for (Peer target : targets) {
            send(target.member.address(), new Rumor(self.id(), self.address(), List.of(update)));
        }
    }

    /** This node as it currently presents itself (its incarnation rises with each refutation). */
    public Member self() {
        return self;
    }

    /**
     * An immutable snapshot of every member this node knows, itself first, including DEAD and
     * LEFT members until they are forgotten ({@link SwimConfig#forgetAfterMillis()}).
     */
    public List<Member> members() {
        List<Member> all = new ArrayList<>(peers.size() + 1);
        all.add(self);
        for (Peer peer : peerList) {
            all.add(peer.member);
        }
        return List.copyOf(all);
    }

    /** Whether a live (ALIVE or SUSPECT) member, this node included, listens at {@code address}. */
    public boolean isKnownLive(Endpoint address) {
        if (self.address().equals(address) && self.state().isLive()) {
            return true;
        }
        for (Peer peer : peerList) {
            if (peer.member.state().isLive() && peer.member.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** Lifeguard's local-health score, {@code 0..maxLocalHealth}; timeouts scale by score + 1. */
    public int localHealth() {
        return health.score();
    }

    // ------------------------------------------------------------------------------------------
    // Probing

    private void advanceProbe(long now) {
        if (probe != null) {
            if (!probe.indirectSent && now >= probe.indirectAt) {
                probeIndirectly(probe);
            }
            if (now >= probe.deadline) {
                Probe failed = probe;
                probe = null;
                probeFailed(failed);
            }
        }
        if (probe == null && !leaving && now >= nextProbeAt) {
            startProbe(now);
        }
    }

    private void startProbe(long now) {
        long period = health.scale(config.protocolPeriodMillis());
        nextProbeAt = now + period;
        Peer target = nextProbeTarget();
        if (target == null) {
            return;
        }
        long sequence = nextSequence++;
        probe = new Probe(sequence, target.member.id(), target.member.address(),
                now + health.scale(config.probeTimeoutMillis()), now + period);
        List<Update> updates = new ArrayList<>(2);
        if (target.member.state() == MemberState.SUSPECT) {
            // Lifeguard's "buddy system": tell a suspect directly, so it can refute at once.
            updates.add(new Update(target.member, self.id()));
        }
        int budget = config.maxDatagramBytes() - SwimCodec.headerSize(self.address())
                - SwimCodec.maxBodyOverhead(target.member.address())
                - (updates.isEmpty() ? 0 : SwimCodec.encodedSize(updates.get(0)));
        updates.addAll(gossip.take(budget, SwimCodec.MAX_GOSSIP_UPDATES - updates.size(), retransmitLimit()));
        send(target.member.address(), new Ping(self.id(), self.address(), sequence, target.member.id(), updates));
    }

    /** Next live member in a shuffled round-robin; reshuffles after a full round. */
    private Peer nextProbeTarget() {
        for (int attempt = 0; attempt < 2; attempt++) {
            while (probeCursor < probeOrder.size()) {
                Peer peer = peers.get(probeOrder.get(probeCursor++));
                if (peer != null && peer.member.state().isLive()) {
                    return peer;
                }
            }
            probeOrder.clear();
            probeCursor = 0;
            for (Peer peer : peerList) {
                if (peer.member.state().isLive()) {
                    probeOrder.add(peer.member.id());
                }
            }
            shuffle(probeOrder);
        }
        return null;
    }

    private void probeIndirectly(Probe current) {
        current.indirectSent = true;
        List<Peer> helpers = randomPeers(config.indirectProbes(),
                p -> p.member.state() == MemberState.ALIVE && !p.member.id().equals(current.target));
        current.expectedNacks = helpers.size();
        for (Peer helper : helpers) {
            send(helper.member.address(), new PingReq(self.id(), self.address(), current.sequence, current.target,
                    current.targetAddress, piggyback(helper.member.address())));
        }
    }

    private void onAck(long sequence) {
        Relay relay = relays.remove(sequence);
        if (relay != null) {
            send(relay.requester, new Ack(self.id(), self.address(), relay.requesterSequence,
                    piggyback(relay.requester)));
            return;
        }
        if (probe != null && probe.sequence == sequence) {
            probe = null;
            health.apply(-1);
        }
    }

    private void probeFailed(Probe failed) {
        // Lifeguard: with helpers, blame ourselves for every nack that did not come back (their
        // paths to us are evidently broken); with none, any failed probe counts against us.
        if (failed.expectedNacks > 0) {
            health.apply(Math.max(0, failed.expectedNacks - failed.nacks));
        } else {
            health.apply(1);
        }
        Peer target = peers.get(failed.target);
        if (target != null && target.member.state().isLive()) {
            onSuspect(target.member.with(MemberState.SUSPECT, target.member.incarnation()), self.id());
        }
    }

    private void relayProbe(PingReq request) {
        if (request.targetId().equals(self.id())) {
            send(request.senderAddress(), new Ack(self.id(), self.address(), request.sequence(),
                    piggyback(request.senderAddress())));
            return;
        }
        long now = environment.nowMillis();
        long sequence = nextSequence++;
        long nackAt = now + config.probeTimeoutMillis() * 4 / 5;
        relays.put(sequence, new Relay(request.senderAddress(), request.sequence(), nackAt,
                now + 2 * config.protocolPeriodMillis()));
        send(request.targetAddress(), new Ping(self.id(), self.address(), sequence, request.targetId(),
                piggyback(request.targetAddress())));
    }

    private void expireRelays(long now) {
        if (relays.isEmpty()) {
            return;
        }
        Iterator<Relay> it = relays.values().iterator();
        List<Relay> nacks = new ArrayList<>();
        while (it.hasNext()) {
            Relay relay = it.next();
            if (!relay.nacked && now >= relay.nackAt) {
                relay.nacked = true;
                nacks.add(relay);
            }
            if (now >= relay.expiresAt) {
                it.remove();
            }
        }
        for (Relay relay : nacks) {
            send(relay.requester, new Nack(self.id(), self.address(), relay.requesterSequence,
                    piggyback(relay.requester)));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Suspicion

    private void expireSuspicions(long now) {
        if (suspicions.isEmpty()) {
            return;
        }
        List<NodeId> expired = new ArrayList<>();
        for (Map.Entry<NodeId, Suspicion> entry : suspicions.entrySet()) {
            if (now >= entry.getValue().deadline()) {
                expired.add(entry.getKey());
            }
        }
        for (NodeId id : expired) {
            Suspicion suspicion = suspicions.remove(id);
            Peer peer = peers.get(id);
            if (peer != null && peer.member.state() == MemberState.SUSPECT
                    && peer.member.incarnation() == suspicion.incarnation()) {
                Member dead = peer.member.with(MemberState.DEAD, peer.member.incarnation());
                transition(peer, dead);
                gossip.enqueue(new Update(dead, self.id()));
            }
        }
    }

    private void startSuspicion(Peer peer, NodeId originator) {
        int n = livePeers + 1;
        double scale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        long min = (long) (config.suspicionMinMultiplier() * scale * config.protocolPeriodMillis());
        long max = (long) (config.suspicionMaxMultiplier() * scale * config.protocolPeriodMillis());
        int required = config.suspicionConfirmations();
        if (n - 2 < required) {
            required = 0;
        }
        suspicions.put(peer.member.id(), new Suspicion(originator, peer.member.incarnation(),
                environment.nowMillis(), required, min, max));
    }

    // ------------------------------------------------------------------------------------------
    // Applying updates (gossip and pushed state share these rules)

    private void applyAll(List<Update> updates) {
        for (Update update : updates) {
            apply(update.member(), update.reporter(), false);
        }
    }

    private void apply(Member member, NodeId reporter, boolean fromPushedState) {
        if (member.id().equals(self.id())) {
            aboutSelf(member);
            return;
        }
        if (fromPushedState && member.state() != MemberState.ALIVE && !peers.containsKey(member.id())) {
            // memberlist's rule: a full state only introduces live members. Verdicts about
            // identities we do not know (perhaps forgot) would otherwise be replanted forever.
            return;
        }
        switch (member.state()) {
            case ALIVE -> onAlive(member);
            case SUSPECT -> onSuspect(member, reporter);
            case DEAD -> {
                if (fromPushedState) {
                    onSuspect(member.with(MemberState.SUSPECT, member.incarnation()), reporter);
                } else {
                    onDeadOrLeft(member, reporter);
                }
            }
            case LEFT -> onDeadOrLeft(member, reporter);
        }
    }

    private void aboutSelf(Member claim) {
        if (leaving) {
            return;
        }
        switch (claim.state()) {
            case ALIVE -> {
                if (claim.incarnation() > self.incarnation()) {
                    refute(claim.incarnation());
                }
            }
            case SUSPECT, DEAD -> {
                if (claim.incarnation() >= self.incarnation()) {
                    refute(claim.incarnation());
                }
            }
            case LEFT -> {
                // LEFT is final for an identity; a stale or forged claim cannot be refuted and is ignored.
            }
        }
    }

    private void refute(long accusedIncarnation) {
        // incarnations arrive bounded by SwimCodec.MAX_INCARNATION, so this cannot wrap
        self = self.with(MemberState.ALIVE, Math.addExact(accusedIncarnation, 1));
        health.apply(1);
        gossip.enqueue(new Update(self, self.id()));
    }

    private void onAlive(Member member) {
        Peer peer = peers.get(member.id());
        if (peer == null) {
            peer = addPeer(member);
            gossip.enqueue(new Update(member, member.id()));
            return;
        }
        Member current = peer.member;
        if (current.state() == MemberState.LEFT || member.incarnation() <= current.incarnation()) {
            return;
        }
        suspicions.remove(member.id());
        transition(peer, member);
        gossip.enqueue(new Update(member, member.id()));
    }

    private void onSuspect(Member member, NodeId reporter) {
        Peer peer = peers.get(member.id());
        if (peer == null) {
            return; // as memberlist: a suspicion about a member we never knew introduces nobody
        }
        Member current = peer.member;
        switch (current.state()) {
            case ALIVE -> {
                if (member.incarnation() >= current.incarnation()) {
                    Member suspect = current.with(MemberState.SUSPECT, member.incarnation());
                    transition(peer, suspect);
                    startSuspicion(peer, reporter);
                    gossip.enqueue(new Update(suspect, reporter));
                }
            }
            case SUSPECT -> {
                if (member.incarnation() > current.incarnation()) {
                    Member suspect = current.with(MemberState.SUSPECT, member.incarnation());
                    transition(peer, suspect);
                    startSuspicion(peer, reporter);
                    gossip.enqueue(new Update(suspect, reporter));
                } else if (member.incarnation() == current.incarnation()) {
                    Suspicion suspicion = suspicions.get(member.id());
                    if (suspicion != null && suspicion.confirm(reporter)) {
                        gossip.enqueue(new Update(current, reporter));
                    }
                }
            }
            case DEAD, LEFT -> {
                // Only a higher-incarnation Alive brings a dead member back; Left is final.
            }
        }
    }

    private void onDeadOrLeft(Member member, NodeId reporter) {
        Peer peer = peers.get(member.id());
        if (peer == null) {
            // First heard of as gone: remember the verdict silently, so stale Alive gossip
            // at the same incarnation cannot resurrect it.
            addPeer(member);
            return;
        }
        Member current = peer.member;
        if (current.state() == MemberState.LEFT) {
            return;
        }
        boolean newer = member.incarnation() > current.incarnation();
        boolean applies = member.incarnation() >= current.incarnation()
                && (current.state().isLive() || member.state() == MemberState.LEFT || newer);
        if (!applies) {
            return;
        }
        suspicions.remove(member.id());
        Member next = current.with(member.state(), member.incarnation());
        transition(peer, next);
        gossip.enqueue(new Update(next, reporter));
    }

    private Peer addPeer(Member member) {
        long now = environment.nowMillis();
        Peer peer = new Peer(member, now);
        peers.put(member.id(), peer);
        peerList.add(peer);
        if (member.state().isLive()) {
            livePeers++;
            peer.announced = true;
            // memberlist inserts a newcomer at a random place in the current probe round.
            int at = probeCursor + random.nextInt(probeOrder.size() - probeCursor + 1);
            probeOrder.add(at, member.id());
            listener.onEvent(new MembershipEvent.Joined(member));
        } else {
            tombstones.add(member.id());
        }
        return peer;
    }

    /** Moves {@code peer} to {@code next} and emits exactly the event this transition calls for. */
    private void transition(Peer peer, Member next) {
        Member previous = peer.member;
        peer.member = next;
        peer.changedAt = environment.nowMillis();
        boolean wasLive = previous.state().isLive();
        boolean isLive = next.state().isLive();
        if (wasLive != isLive) {
            livePeers += isLive ? 1 : -1;
            if (isLive) {
                tombstones.remove(next.id());
            } else {
                tombstones.add(next.id());
            }
        }
        if (next.state() != MemberState.SUSPECT) {
            suspicions.remove(next.id());
        }
        MembershipEvent event = switch (next.state()) {
            case ALIVE -> !peer.announced ? new MembershipEvent.Joined(next)
                    : previous.state() != MemberState.ALIVE ? new MembershipEvent.Alive(next) : null;
            case SUSPECT -> previous.state() != MemberState.SUSPECT ? new MembershipEvent.Suspected(next) : null;
            case DEAD -> wasLive ? new MembershipEvent.Failed(next) : null;
            case LEFT -> wasLive ? new MembershipEvent.Left(next) : null;
        };
        if (isLive) {
            peer.announced = true;
        }
        if (isLive && !wasLive) {
            int at = probeCursor + random.nextInt(probeOrder.size() - probeCursor + 1);
            probeOrder.add(at, next.id());
        }
        if (event != null) {
            listener.onEvent(event);
        }
    }

    /**
     * A datagram from an identity we hold DEAD proves it is running but has not heard the
     * verdict (a healed partition): tell it, at most once per protocol period, so it refutes.
     */
    private void tellTheDeadTheyAreDead(SwimMessage message) {
        Peer peer = peers.get(message.senderId());
        if (peer == null || peer.member.state() != MemberState.DEAD) {
            return;
        }
        long now = environment.nowMillis();
        if (peer.toldDeadAt != Long.MIN_VALUE && now - peer.toldDeadAt < config.protocolPeriodMillis()) {
            return;
        }
        peer.toldDeadAt = now;
        Member accused = peer.member.with(MemberState.SUSPECT, peer.member.incarnation());
        send(message.senderAddress(), new Rumor(self.id(), self.address(), List.of(new Update(accused, self.id()))));
    }

    /**
     * Starts a push-pull with the sender of {@code message} when this node knows nothing of it:
     * the gossip that announced it (retransmitted only {@code log n} times) never reached here,
     * yet it probes this node. Its answer carries its full state, itself included. Rate-limited
     * per stranger, and the record of strangers is bounded.
     */
    private void syncWithStranger(SwimMessage message) {
        if (leaving || message instanceof PushPull || peers.containsKey(message.senderId())
                || tombstones.contains(message.senderId())) {
            return; // (known now, perhaps from the gossip this very message carried)
        }
        long now = environment.nowMillis();
        Long last = strangersSyncedAt.get(message.senderId());
        if (last != null && now - last < config.protocolPeriodMillis()) {
            return;
        }
        if (strangersSyncedAt.size() >= MAX_STRANGERS_REMEMBERED) {
            strangersSyncedAt.clear();
        }
        strangersSyncedAt.put(message.senderId(), now);
        sendState(message.senderAddress(), false);
    }

    // ------------------------------------------------------------------------------------------
    // Gossip, push-pull, reconnect, forgetting

    private void gossipRound() {
        if (gossip.isEmpty()) {
            return;
        }
        long now = environment.nowMillis();
        List<Peer> targets = randomPeers(config.gossipFanout(), p -> p.member.state().isLive()
                || (p.member.state() == MemberState.DEAD && now - p.changedAt < config.gossipToTheDeadMillis()));
        for (Peer target : targets) {
            List<Update> updates = piggyback(target.member.address());
            if (updates.isEmpty()) {
                return;
            }
            send(target.member.address(), new Rumor(self.id(), self.address(), updates));
        }
    }

    private List<Update> piggyback(Endpoint to) {
        int budget = config.maxDatagramBytes() - SwimCodec.headerSize(self.address()) - SwimCodec.maxBodyOverhead(to);
        return gossip.take(budget, SwimCodec.MAX_GOSSIP_UPDATES, retransmitLimit());
    }

    private int retransmitLimit() {
        int n = livePeers + 1;
        return config.retransmitMultiplier() * (int) Math.ceil(Math.log10(n + 1.0));
    }

    /** memberlist's pushPullScale: the interval grows by one step per doubling beyond 32 members. */
    private long pushPullInterval() {
        int n = livePeers + 1;
        if (n <= 32) {
            return config.pushPullIntervalMillis();
        }
        double multiplier = Math.ceil(Math.log(n) / Math.log(2) - 5) + 1;
        return (long) (config.pushPullIntervalMillis() * multiplier);
    }

    private void reconnect() {
        List<Peer> dead = new ArrayList<>();
        for (NodeId id : tombstones) {
            Peer peer = peers.get(id);
            if (peer != null && peer.member.state() == MemberState.DEAD) {
                dead.add(peer);
            }
        }
        if (!dead.isEmpty()) {
            sendState(dead.get(random.nextInt(dead.size())).member.address(), false);
        }
    }

    private void sendState(Endpoint to, boolean reply) {
        int budget = config.maxPushPullDatagramBytes() - SwimCodec.headerSize(self.address()) - 8;
        List<List<Member>> parts = new ArrayList<>();
        List<Member> current = new ArrayList<>();
        int used = 0;
        for (Member member : members()) {
            int size = SwimCodec.encodedSize(member);
            if (!current.isEmpty() && (used + size > budget || current.size() == SwimCodec.MAX_PUSH_PULL_MEMBERS)) {
                parts.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(member);
            used += size;
        }
        parts.add(current);
        for (int i = 0; i < parts.size(); i++) {
            send(to, new PushPull(self.id(), self.address(), reply, i, parts.size(), parts.get(i)));
        }
    }

    private void forgetOldTombstones(long now) {
        if (tombstones.isEmpty()) {
            return;
        }
        boolean removed = false;
        Iterator<NodeId> it = tombstones.iterator();
        while (it.hasNext()) {
            NodeId id = it.next();
            Peer peer = peers.get(id);
            if (peer == null) {
                it.remove();
            } else if (now - peer.changedAt >= config.forgetAfterMillis()) {
                it.remove();
                peers.remove(id);
                removed = true;
            }
        }
        if (removed) {
            peerList.removeIf(p -> !peers.containsKey(p.member.id()) || peers.get(p.member.id()) != p);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Random selection (every choice comes from the environment's generator)

    private Peer randomPeer(java.util.function.Predicate<Peer> eligible) {
        List<Peer> one = randomPeers(1, eligible);
        return one.isEmpty() ? null : one.get(0);
    }

    /**
     * Up to {@code count} distinct random peers matching {@code eligible}: rejection sampling
     * bounded at {@code 3 × size} draws, as memberlist's kRandomNodes, then a linear sweep from a
     * random offset if the draws found too few (so sparse eligibility still finds everyone).
     */
    private List<Peer> randomPeers(int count, Predicate<Peer> eligible) {
        int size = peerList.size();
        List<Peer> chosen = new ArrayList<>(count);
        if (size == 0 || count <= 0) {
            return chosen;
        }
        for (int draw = 0; draw < 3 * size && chosen.size() < count; draw++) {
            Peer candidate = peerList.get(random.nextInt(size));
            if (eligible.test(candidate) && !chosen.contains(candidate)) {
                chosen.add(candidate);
            }
        }
        if (chosen.size() < count) {
            int offset = random.nextInt(size);
            for (int i = 0; i < size && chosen.size() < count; i++) {
                Peer candidate = peerList.get((offset + i) % size);
                if (eligible.test(candidate) && !chosen.contains(candidate)) {
                    chosen.add(candidate);
                }
            }
        }
        return chosen;
    }

    private void shuffle(List<NodeId> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            NodeId swap = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swap);
        }
    }

    private void send(Endpoint to, SwimMessage message) {
        outbox.send(to, message);
    }
}
