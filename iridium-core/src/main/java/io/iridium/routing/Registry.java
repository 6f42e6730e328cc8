package io.iridium.routing;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.env.Environment;
import io.iridium.env.Outbox;
import io.iridium.routing.RegistryMessage.Digest;
import io.iridium.routing.RegistryMessage.Pull;
import io.iridium.routing.RegistryMessage.Update;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The routing registry of one node: who serves which cluster and who subscribes to which topic
 * patterns, spread by gossip; a single-threaded, sans-I/O state machine.
 *
 * <h2>Driving it</h2>
 * The driver calls {@link #tick()} on a timer (every 100 ms or so; the intervals of
 * {@link RegistryConfig} are checked against {@link Environment#nowMillis()} at each tick),
 * {@link #receive(Endpoint, RegistryMessage)} for each decoded datagram, {@link #memberUp} and
 * {@link #memberDown} for each membership change (SWIM's Joined and Alive are up, Failed and
 * Left are down; a Suspected member stays live), and {@link #publishLocal} when the node's own
 * services or subscriptions change. It transmits whatever the core hands to its {@link Outbox}.
 * All methods must be called from one thread (the node's protocol loop or the simulator).
 * Nothing here blocks, reads a clock or draws randomness of its own.
 *
 * <h2>State and merge</h2>
 * The registry holds at most one {@link Advertisement} per owner, its own included, and keeps
 * the highest version it has seen ({@link Advertisement#supersedes}); merging is idempotent,
 * commutative and associative, so every node that has received the same advertisements holds
 * the same store, whatever the order, loss or duplication on the way. Only the owner raises its
 * version ({@link #publishLocal}); advertisements about this node from others are ignored.
 *
 * <h2>Spreading</h2>
 * <pre>
 *  publishLocal ─▶ version + 1 ─▶ next tick: Update(rumor) to pushFanout random live members
 *  Update(rumor) with something new ─▶ next tick: forwarded once to pushFanout random live members
 *  every syncInterval: Digest(SYNC) to one random live member
 *    (until synced: Digest(CATCH_UP) every catchUpInterval, and at once when a member comes up)
 *  Digest(SYNC or CATCH_UP) received
 *       ─▶ Update(what the sender lacks or holds older, within the digest part's range)
 *       ─▶ Pull(what we lack or hold older) ─▶ the sender answers with an Update
 *       ─▶ for CATCH_UP only: Digest(REPLY) with our versions, which the sender checks itself against
 * </pre>
 * The eager pushes spread a change epidemically in a few network delays; the digest exchange
 * (anti-entropy) repairs whatever pushes lost, and brings a new or partitioned node up to date.
 *
 * <h2>Live members and forgetting</h2>
 * Routes name only live members (and this node): an advertisement from an owner that membership
 * has not (yet) reported live is kept and gossiped, since membership may lag, but routed to only
 * once {@link #memberUp} arrives; if it never does within
 * {@link RegistryConfig#unknownOwnerRetentionMillis()}, it is dropped. {@link #memberDown}
 * drops the owner's advertisement at once and refuses copies of it (which other nodes may still
 * gossip) for {@link RegistryConfig#downRetentionMillis()}, unless membership reports the owner
 * up again first (a refuted failure verdict): then anti-entropy fetches its advertisement again.
 *
 * <h2>Synced</h2>
 * {@link #isSynced()} turns true, for good, the first time this node holds everything that a
 * live member's complete digest listed (every part of it; owners refused as down aside): then
 * its routes are at least as complete as that member's were. It is also true while no other
 * live member is known, so a driver that joins a network should wait for membership first.
 *
 * <h2>Routes</h2>
 * {@link #routes()} returns an immutable {@link Routes} snapshot, rebuilt lazily after a change
 * that affects it (a new or dropped advertisement of a live owner, a member going up or down,
 * a local change). {@link #routesVersion()} rises with each such change, so the driver can
 * check after each call whether to publish a new snapshot to the threads that route messages.
 *
 * <h2>Sizes</h2>
 * Every message is at most {@link RegistryConfig#maxMessageBytes()} encoded: updates, pulls and
 * digests are split into several messages (a digest into parts with explicit owner ranges). The
 * local advertisement must fit in one message, which {@link #publishLocal} checks.
 */
public final class Registry {

    private static final long REAP_INTERVAL_MILLIS = 1_000;

    private final RegistryConfig config;
    private final NodeId self;
    private final Endpoint selfAddress;
    private final Environment environment;
    private final RandomGenerator random;
    private final Outbox<RegistryMessage> outbox;

    /** Every advertisement held, this node's own included, by owner in unsigned id order. */
    private final TreeMap<NodeId, Stored> store = new TreeMap<>();
    /** Live members other than this node, with their membership (datagram) addresses. */
    private final LinkedHashMap<NodeId, Endpoint> live = new LinkedHashMap<>();
    /** Owners reported down → until when their advertisements are refused. */
    private final LinkedHashMap<NodeId, Long> down = new LinkedHashMap<>();
    /** Advertisements first learned from a push, to forward at the next tick. */
    private final LinkedHashMap<NodeId, Advertisement> rumors = new LinkedHashMap<>();
    /** While not synced: what each live member's digest listed that we still lack. */
    private final LinkedHashMap<NodeId, SyncCheck> syncChecks = new LinkedHashMap<>();

    private Advertisement own;
    private boolean ownChanged;
    private boolean syncedOnce;
    private long nextSyncAt;
    private long nextReapAt;
    private long routesVersion = 1;
    private Routes routes;

    /** One advertisement and when it was last replaced. */
    private record Stored(Advertisement ad, long storedAt) {}

    /** Progress towards holding everything one member's digest listed. */
    private static final class SyncCheck {
        final int parts;
        final BitSet seen = new BitSet();
        final Map<NodeId, Long> missing = new HashMap<>();

        SyncCheck(int parts) {
            this.parts = parts;
        }

        boolean complete() {
            return seen.cardinality() == parts && missing.isEmpty();
        }
    }

    /**
     * A registry that advertises nothing yet (version 1, no services, no patterns) and knows no
     * other member.
     *
     * @param self        this node's identity
     * @param selfAddress where this node accepts data-plane connections (goes into its advertisement)
     * @param env         clock and random source
     * @param outbox      where messages to send go; sending must not block or throw
     */
    public Registry(RegistryConfig config, NodeId self, Endpoint selfAddress, Environment env,
                    Outbox<RegistryMessage> outbox) {
        this.config = Objects.requireNonNull(config, "config");
        this.self = Objects.requireNonNull(self, "self");
        this.selfAddress = Objects.requireNonNull(selfAddress, "selfAddress");
        this.environment = Objects.requireNonNull(env, "env");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.random = env.random();
        long now = env.nowMillis();
        own = new Advertisement(self, selfAddress, 1, new TreeMap<>(), new TreeSet<>());
        store.put(self, new Stored(own, now));
        nextSyncAt = now + random.nextLong(config.catchUpIntervalMillis());
        nextReapAt = now + REAP_INTERVAL_MILLIS;
    }

    // ------------------------------------------------------------------------------------------
    // Commands

    /**
     * Replaces this node's advertisement: it now serves exactly {@code services} (cluster name →
     * capacity) and subscribes to exactly {@code patterns}. When that differs from what it
     * advertised, the version rises, routes change at once, and the next {@link #tick()} pushes
     * the new advertisement to {@link RegistryConfig#pushFanout()} random live members.
     *
     * @throws IllegalArgumentException for an invalid cluster name, negative capacity or invalid
     *                                  pattern, or when the advertisement would not fit in one
     *                                  message of {@link RegistryConfig#maxMessageBytes()}
     */
    public void publishLocal(Map<String, Integer> services, Set<String> patterns) {
        Advertisement next = Advertisement.of(self, selfAddress, own.version() + 1, services, patterns);
        if (next.sameContent(own)) {
            return;
        }
        int size = RegistryCodec.UPDATE_OVERHEAD + RegistryCodec.encodedSize(next);
        if (size > config.maxMessageBytes()) {
            throw new IllegalArgumentException("the local advertisement (" + next.services().size() + " services, "
                    + next.patterns().size() + " patterns) encodes to " + size + " bytes, more than maxMessageBytes "
                    + config.maxMessageBytes());
        }
        own = next;
        store.put(self, new Stored(own, environment.nowMillis()));
        ownChanged = true;
        routesChanged();
    }

    /**
     * Membership reports {@code id} live at {@code address} (its datagram address). Its
     * advertisement, if held, is routed to from now on; a refusal from an earlier
     * {@link #memberDown} is lifted. Repeated calls update the address. Calls about this node
     * are ignored.
     */
    public void memberUp(NodeId id, Endpoint address) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (id.equals(self)) {
            return;
        }
        Endpoint previous = live.put(id, address);
        down.remove(id);
        if (previous == null) {
            if (store.containsKey(id)) {
                routesChanged();
            }
            if (!syncedOnce) {
                // Catching up: ask the first members we meet at once rather than at the next interval.
                nextSyncAt = Math.min(nextSyncAt, environment.nowMillis());
            }
        }
    }

    /**
     * Membership reports {@code id} failed or gone: it leaves the routes, its advertisement is
     * dropped, and copies of it are refused for {@link RegistryConfig#downRetentionMillis()} or
     * until {@link #memberUp} reports it again. Calls about this node are ignored.
     */
    public void memberDown(NodeId id) {
        Objects.requireNonNull(id, "id");
        if (id.equals(self)) {
            return;
        }
        boolean wasLive = live.remove(id) != null;
        down.remove(id);
        down.put(id, environment.nowMillis() + config.downRetentionMillis());
        Stored dropped = store.remove(id);
        rumors.remove(id);
        syncChecks.remove(id);
        for (SyncCheck check : syncChecks.values()) {
            check.missing.remove(id);
        }
        checkSynced();
        if (dropped != null && wasLive) {
            routesChanged();
        }
    }

    /** Advances timers: eager pushes and forwarded rumors, anti-entropy digests, forgetting. */
    public void tick() {
        long now = environment.nowMillis();
        if (now >= nextReapAt) {
            nextReapAt = now + REAP_INTERVAL_MILLIS;
            reap(now);
        }
        pushRumors();
        if (now >= nextSyncAt) {
            nextSyncAt = now + (syncedOnce ? config.syncIntervalMillis() : config.catchUpIntervalMillis());
            List<Map.Entry<NodeId, Endpoint>> partner = randomLive(1);
            if (!partner.isEmpty()) {
                sendDigest(partner.getFirst().getValue(), syncedOnce ? Digest.Kind.SYNC : Digest.Kind.CATCH_UP);
            }
        }
    }

    /**
     * Handles one decoded message from {@code from} (where replies go). Messages that claim to
     * come from this node are ignored.
     */
    public void receive(Endpoint from, RegistryMessage message) {
        Objects.requireNonNull(from, "from");
        if (message.sender().equals(self)) {
            return;
        }
        switch (message) {
            case Digest digest -> onDigest(from, digest);
            case Update update -> onUpdate(update);
            case Pull pull -> onPull(from, pull);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Queries

    /**
     * The current routes: an immutable snapshot, the same object until something that affects
     * routing changes. Build cost is linear in the live advertisements; call it after
     * {@link #routesVersion()} changed.
     */
    public Routes routes() {
        if (routes == null) {
            List<Advertisement> routed = new ArrayList<>(live.size() + 1);
            for (Stored stored : store.values()) {
                NodeId owner = stored.ad().owner();
                if (owner.equals(self) || live.containsKey(owner)) {
                    routed.add(stored.ad());
                }
            }
            routes = new Routes(routesVersion, routed);
        }
        return routes;
    }

    /** Rises with every change that affects {@link #routes()}; equals {@code routes().version()}. */
    public long routesVersion() {
        return routesVersion;
    }

    /**
     * Whether this registry has caught up with the network: true once it has held everything a
     * live member's complete digest listed, and while it knows no other live member.
     */
    public boolean isSynced() {
        return syncedOnce || live.isEmpty();
    }

    /** This node's identity. */
    public NodeId self() {
        return self;
    }

    /** This node's current advertisement. */
    public Advertisement local() {
        return own;
    }

    /** The advertisement held for {@code owner}, live or not. */
    public Optional<Advertisement> advertisementOf(NodeId owner) {
        Stored stored = store.get(owner);
        return stored == null ? Optional.empty() : Optional.of(stored.ad());
    }

    /** How many advertisements are held, this node's own and those of owners not (yet) live included. */
    public int advertisementCount() {
        return store.size();
    }

    /** The live members other than this node, as reported by membership. */
    public Set<NodeId> liveMembers() {
        return Collections.unmodifiableSet(live.keySet());
    }

    // ------------------------------------------------------------------------------------------
    // Protocol

    private void onDigest(Endpoint from, Digest digest) {
        if (!syncedOnce && live.containsKey(digest.sender())) {
            trackSync(digest);
        }
        if (digest.kind() == Digest.Kind.REPLY) {
            // We asked for it to check our catch-up; what differs is already on its way both ways.
            return;
        }
        List<Advertisement> theyLack = new ArrayList<>();
        for (Stored stored : store.subMap(digest.low(), true, digest.high(), true).values()) {
            Long theirs = digest.versions().get(stored.ad().owner());
            if (theirs == null || theirs < stored.ad().version()) {
                theyLack.add(stored.ad());
            }
        }
        sendUpdates(from, false, theyLack);

        List<NodeId> weLack = new ArrayList<>();
        for (Map.Entry<NodeId, Long> entry : digest.versions().entrySet()) {
            if (wants(entry.getKey(), entry.getValue())) {
                weLack.add(entry.getKey());
            }
        }
        sendPulls(from, weLack);

        if (digest.kind() == Digest.Kind.CATCH_UP) {
            sendDigest(from, Digest.Kind.REPLY);
        }
    }

    private void onUpdate(Update update) {
        long now = environment.nowMillis();
        for (Advertisement ad : update.advertisements()) {
            if (merge(ad, now) && update.rumor()) {
                rumors.put(ad.owner(), ad);
            }
        }
    }

    private void onPull(Endpoint from, Pull pull) {
        List<Advertisement> wanted = new ArrayList<>();
        for (NodeId owner : pull.owners()) {
            Stored stored = store.get(owner);
            if (stored != null) {
                wanted.add(stored.ad());
            }
        }
        sendUpdates(from, false, wanted);
    }

    /** Whether an advertisement of {@code owner} at {@code version} would be new to us. */
    private boolean wants(NodeId owner, long version) {
        if (owner.equals(self) || down.containsKey(owner)) {
            return false;
        }
        Stored stored = store.get(owner);
        return stored == null || stored.ad().version() < version;
    }

    /** Keeps {@code ad} if it is newer than what we hold; returns whether it was. */
    private boolean merge(Advertisement ad, long now) {
        NodeId owner = ad.owner();
        if (!wants(owner, ad.version())) {
            return false;
        }
        store.put(owner, new Stored(ad, now));
        if (live.containsKey(owner)) {
            routesChanged();
        }
        if (!syncChecks.isEmpty()) {
            for (SyncCheck check : syncChecks.values()) {
                Long needed = check.missing.get(owner);
                if (needed != null && needed <= ad.version()) {
                    check.missing.remove(owner);
                }
            }
            checkSynced();
        }
        return true;
    }

    private void trackSync(Digest digest) {
        SyncCheck check = syncChecks.get(digest.sender());
        if (check == null || check.parts != digest.parts() || check.seen.get(digest.part())) {
            // A new round of that member's digest starts over: its earlier parts may be stale.
            check = new SyncCheck(digest.parts());
            syncChecks.put(digest.sender(), check);
        }
        check.seen.set(digest.part());
        for (Map.Entry<NodeId, Long> entry : digest.versions().entrySet()) {
            if (wants(entry.getKey(), entry.getValue())) {
                check.missing.merge(entry.getKey(), entry.getValue(), Math::max);
            }
        }
        checkSynced();
    }

    private void checkSynced() {
        if (syncedOnce) {
            return;
        }
        for (SyncCheck check : syncChecks.values()) {
            if (check.complete()) {
                syncedOnce = true;
                syncChecks.clear();
                nextSyncAt = Math.max(nextSyncAt, environment.nowMillis() + config.syncIntervalMillis());
                return;
            }
        }
    }

    private void pushRumors() {
        if (!ownChanged && rumors.isEmpty()) {
            return;
        }
        List<Advertisement> batch = new ArrayList<>(rumors.size() + 1);
        if (ownChanged) {
            batch.add(own);
            ownChanged = false;
        }
        batch.addAll(rumors.values());
        rumors.clear();
        for (Map.Entry<NodeId, Endpoint> target : randomLive(config.pushFanout())) {
            List<Advertisement> forTarget = new ArrayList<>(batch.size());
            for (Advertisement ad : batch) {
                if (!ad.owner().equals(target.getKey())) {
                    forTarget.add(ad);
                }
            }
            sendUpdates(target.getValue(), true, forTarget);
        }
    }

    private void reap(long now) {
        down.values().removeIf(until -> until <= now);
        Iterator<Stored> it = store.values().iterator();
        while (it.hasNext()) {
            Stored stored = it.next();
            NodeId owner = stored.ad().owner();
            if (!owner.equals(self) && !live.containsKey(owner)
                    && now - stored.storedAt() >= config.unknownOwnerRetentionMillis()) {
                it.remove();
                rumors.remove(owner);
                down.put(owner, now + config.downRetentionMillis());
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sending, split to fit

    private void sendUpdates(Endpoint to, boolean rumor, List<Advertisement> ads) {
        if (ads.isEmpty()) {
            return;
        }
        int budget = config.maxMessageBytes() - RegistryCodec.UPDATE_OVERHEAD;
        List<Advertisement> batch = new ArrayList<>();
        int used = 0;
        for (Advertisement ad : ads) {
            int size = RegistryCodec.encodedSize(ad);
            if (size > budget) {
                continue; // from a node configured with a larger limit; it cannot travel from here
            }
            if (used + size > budget) {
                outbox.send(to, new Update(self, rumor, batch));
                batch = new ArrayList<>();
                used = 0;
            }
            batch.add(ad);
            used += size;
        }
        if (!batch.isEmpty()) {
            outbox.send(to, new Update(self, rumor, batch));
        }
    }

    private void sendPulls(Endpoint to, List<NodeId> owners) {
        int perMessage = Math.min(RegistryCodec.MAX_COUNT,
                (config.maxMessageBytes() - RegistryCodec.PULL_OVERHEAD) / RegistryCodec.PULL_ENTRY_BYTES);
        for (int from = 0; from < owners.size(); from += perMessage) {
            outbox.send(to, new Pull(self, owners.subList(from, Math.min(owners.size(), from + perMessage))));
        }
    }

    private void sendDigest(Endpoint to, Digest.Kind kind) {
        int budget = config.maxMessageBytes() - RegistryCodec.DIGEST_OVERHEAD;
        List<TreeMap<NodeId, Long>> chunks = new ArrayList<>();
        TreeMap<NodeId, Long> chunk = new TreeMap<>();
        int used = 0;
        for (Stored stored : store.values()) {
            int size = RegistryCodec.digestEntrySize(stored.ad().version());
            if (used + size > budget || chunk.size() == RegistryCodec.MAX_COUNT) {
                chunks.add(chunk);
                chunk = new TreeMap<>();
                used = 0;
            }
            chunk.put(stored.ad().owner(), stored.ad().version());
            used += size;
        }
        chunks.add(chunk);
        NodeId low = RegistryMessage.FIRST_ID;
        for (int part = 0; part < chunks.size(); part++) {
            TreeMap<NodeId, Long> versions = chunks.get(part);
            boolean last = part == chunks.size() - 1;
            NodeId high = last ? RegistryMessage.LAST_ID : versions.lastKey();
            outbox.send(to, new Digest(self, kind, part, chunks.size(), low, high, versions));
            if (!last) {
                low = successor(high);
            }
        }
    }

    private static NodeId successor(NodeId id) {
        long low = id.low() + 1;
        return new NodeId(low == 0 ? id.high() + 1 : id.high(), low);
    }

    /** Up to {@code count} distinct live members, chosen uniformly at random. */
    private List<Map.Entry<NodeId, Endpoint>> randomLive(int count) {
        if (live.isEmpty() || count <= 0) {
            return List.of();
        }
        List<Map.Entry<NodeId, Endpoint>> candidates = new ArrayList<>(live.entrySet());
        int chosen = Math.min(count, candidates.size());
        for (int i = 0; i < chosen; i++) {
            int j = i + random.nextInt(candidates.size() - i);
            var swap = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, swap);
        }
        return new ArrayList<>(candidates.subList(0, chosen));
    }

    private void routesChanged() {
        routesVersion++;
        routes = null;
    }

    @Override
    public String toString() {
        return "Registry[" + self + ", " + store.size() + " advertisements, " + live.size() + " live, v"
                + routesVersion + (isSynced() ? ", synced]" : ", catching up]");
    }

    // Package-private hooks for tests.

    /** Owners currently refused as down. */
    Collection<NodeId> refusedOwners() {
        return Collections.unmodifiableSet(down.keySet());
    }

    SortedMap<NodeId, Long> versions() {
        TreeMap<NodeId, Long> versions = new TreeMap<>();
        store.forEach((owner, stored) -> versions.put(owner, stored.ad().version()));
        return versions;
    }
}
