package io.iridium.discovery;

import io.iridium.Endpoint;
import io.iridium.env.Environment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The discovery core: a sans-I/O state machine that remembers candidate addresses and asks the
 * membership layer to join each one that is not yet a live member, with per-candidate
 * exponential back-off and jitter.
 *
 * <h2>Algorithm</h2>
 * Candidates arrive from four {@linkplain Source sources}. Each is kept once per endpoint, with
 * the sources that named it, when it was last announced, how many join attempts it has had since
 * it was last seen live, and when it is next due. On every {@link #tick()} each due candidate is
 * either
 * <ul>
 *   <li>a known live member: its attempt count resets and it is looked at again after
 *       {@code liveRecheck} (so a member lost to a partition is rejoined soon after); or
 *   <li>not a live member: {@link Joiner#join} is called and the next attempt is scheduled after
 *       {@code min(maxBackoff, initialBackoff × 2^(attempts − 1))}, jittered uniformly down to
 *       half of that (so nodes that started together do not probe in lock-step).
 * </ul>
 * While the node has no other live member every delay is capped at {@code aloneBackoff}, and on
 * becoming alone (the last member lost) every pending attempt is pulled forward to within
 * {@code aloneBackoff}: a lone node tries eagerly, a node in a healthy network barely at all.
 *
 * <pre>
 *   new ──▶ due now ──join──▶ wait 200 ms ──join──▶ 400 ms ──▶ … ──▶ 30 s ──▶ 30 s …   (seed, DNS)
 *                 └── seen live ──▶ recheck every 1 s (attempts reset) ──── lost ──┘
 *   multicast / loopback: the same, but forgotten announceTtl after the last announcement
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>This node's own endpoint is never a candidate, and its own beacons are ignored (by their
 *       instance id, drawn once from {@link Environment#random()}).
 *   <li>At most {@code maxCandidates} candidates are held; adding one more evicts the one
 *       announced longest ago, passing over configured seeds. The table is kept in announcement
 *       order, so eviction costs O(number of seeds).
 *   <li>Seed and DNS candidates never expire; multicast and loopback ones expire
 *       {@code announceTtl} after their last announcement unless a seed or DNS also named them.
 *   <li>Re-announcing a candidate refreshes it but does not reset its back-off; a beacon from a
 *       different instance at a known endpoint (a restarted process) does.
 *   <li>One tick calls {@code join} at most {@code maxJoinsPerTick} times; the rest stay due.
 *   <li>All time comes from {@link Environment#nowMillis()}, all randomness from
 *       {@link Environment#random()}: given the same inputs and seed, the same joins happen at the
 *       same times. A tick with nothing due costs one {@link Joiner#liveMemberCount()} call.
 * </ul>
 *
 * <p>Threading: not thread-safe. The node's protocol loop owns it and makes every call;
 * callbacks to the {@link Joiner} happen inside {@link #tick()} on that thread, after the
 * table has been updated, so a joiner may call {@link #addCandidates} or {@link #onBeacon}
 * from {@code join} (but not {@code tick}).
 */
public final class Discovery {

    /** Where a candidate came from; decides whether it expires. */
    public enum Source {
        /** Configured seeds ({@code --join}): retried for ever, never expire, evicted last. */
        SEED,
        /** Records of a DNS name: retried for ever, never expire; re-announced on each refresh. */
        DNS,
        /** LAN multicast beacons: expire unless re-announced within {@code announceTtl}. */
        MULTICAST,
        /** The dev-mode loopback port range: expire unless re-announced within {@code announceTtl}. */
        LOOPBACK;

        boolean persistent() {
            return this == SEED || this == DNS;
        }

        int bit() {
            return 1 << ordinal();
        }
    }

    /**
     * What discovery needs of the membership layer. The runtime adapts the SWIM core to it.
     * Called only from the thread that calls {@link Discovery#tick()}.
     */
    public interface Joiner {

        /**
         * Starts joining the network through {@code address}: fire-and-forget (SWIM sends a join
         * datagram). Success shows later as {@link #isKnownLive} turning true; failure is silence.
         */
        void join(Endpoint address);

        /** Whether a live member is currently known at {@code address}. */
        boolean isKnownLive(Endpoint address);

        /** How many live members this node knows, not counting itself. */
        int liveMemberCount();
    }

    /**
     * Counters for status pages and metrics.
     *
     * @param candidates        candidates held now
     * @param joinAttempts      {@link Joiner#join} calls so far
     * @param expired           multicast and loopback candidates forgotten for want of announcement
     * @param evicted           candidates evicted to stay within {@code maxCandidates}
     * @param ownBeaconsIgnored this node's own beacons received and ignored
     */
    public record Stats(int candidates, long joinAttempts, long expired, long evicted, long ownBeaconsIgnored) {}

    /** One remembered address. Mutable; lives only inside the table. */
    private static final class Candidate {
        final Endpoint endpoint;
        int sources;
        long lastAnnouncedMillis;
        long nextAttemptMillis;
        int attempts;
        long instanceId;
        boolean instanceKnown;

        Candidate(Endpoint endpoint, long nowMillis) {
            this.endpoint = endpoint;
            this.nextAttemptMillis = nowMillis;
        }

        boolean expires() {
            return (sources & (Source.SEED.bit() | Source.DNS.bit())) == 0;
        }

        boolean isSeed() {
            return (sources & Source.SEED.bit()) != 0;
        }
    }

    private final Environment env;
    private final Endpoint self;
    private final Joiner joiner;
    private final long instanceId;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final long aloneBackoffMillis;
    private final long liveRecheckMillis;
    private final long announceTtlMillis;
    private final int maxCandidates;
    private final int maxJoinsPerTick;

    /** Candidates in announcement order: the head was announced longest ago. */
    private final LinkedHashMap<Endpoint, Candidate> candidates = new LinkedHashMap<>();
    private final List<Endpoint> toJoin = new ArrayList<>();
    private boolean alone = true;
    /** No candidate is due or expires before this time; a tick before it does nothing. */
    private long nextWakeMillis = Long.MIN_VALUE;
    private Beacon beacon;

    private long joinAttempts;
    private long expired;
    private long evicted;
    private long ownBeaconsIgnored;

    /**
     * Creates a discovery core with no candidates. Draws this process's beacon instance id from
     * {@code env.random()}.
     *
     * @param config how eagerly to join and how much to remember
     * @param env    the clock and random source (the only ones used)
     * @param self   the endpoint this node advertises; never treated as a candidate
     * @param joiner the membership layer
     */
    public Discovery(DiscoveryConfig config, Environment env, Endpoint self, Joiner joiner) {
        Objects.requireNonNull(config, "config");
        this.env = Objects.requireNonNull(env, "env");
        this.self = Objects.requireNonNull(self, "self");
        this.joiner = Objects.requireNonNull(joiner, "joiner");
        this.instanceId = env.random().nextLong();
        this.initialBackoffMillis = config.initialBackoff().toMillis();
        this.maxBackoffMillis = config.maxBackoff().toMillis();
        this.aloneBackoffMillis = config.aloneBackoff().toMillis();
        this.liveRecheckMillis = config.liveRecheck().toMillis();
        this.announceTtlMillis = config.announceTtl().toMillis();
        this.maxCandidates = config.maxCandidates();
        this.maxJoinsPerTick = config.maxJoinsPerTick();
    }

    /**
     * Advances time: forgets expired candidates and attempts to join every due one (at most
     * {@code maxJoinsPerTick}). Call it every 100 ms or so; the exact period only bounds how late
     * an attempt can be.
     */
    public void tick() {
        long now = env.nowMillis();
        boolean aloneNow = joiner.liveMemberCount() == 0;
        if (aloneNow && !alone) {
            pullForward(now);
        }
        alone = aloneNow;
        if (now < nextWakeMillis) {
            return;
        }
        long wake = Long.MAX_VALUE;
        int budget = maxJoinsPerTick;
        Iterator<Candidate> it = candidates.values().iterator();
        while (it.hasNext()) {
            Candidate c = it.next();
            boolean expires = c.expires();
            if (expires && now - c.lastAnnouncedMillis >= announceTtlMillis) {
                it.remove();
                expired++;
                continue;
            }
            if (now >= c.nextAttemptMillis) {
                if (joiner.isKnownLive(c.endpoint)) {
                    c.attempts = 0;
                    c.nextAttemptMillis = now + jitter(liveRecheckMillis);
                } else if (budget > 0) {
                    budget--;
                    c.attempts++;
                    c.nextAttemptMillis = now + jitter(backoffMillis(c.attempts));
                    toJoin.add(c.endpoint);
                }
            }
            wake = Math.min(wake, c.nextAttemptMillis);
            if (expires) {
                wake = Math.min(wake, c.lastAnnouncedMillis + announceTtlMillis);
            }
        }
        nextWakeMillis = wake;
        joinAttempts += toJoin.size();
        try {
            for (Endpoint endpoint : toJoin) {
                joiner.join(endpoint);
            }
        } finally {
            toJoin.clear();
        }
    }

    /**
     * Adds or refreshes candidates. New ones are due at once; known ones are moved to the fresh
     * end of the table and remember {@code source}, keeping their back-off. This node's own
     * endpoint and endpoints with port 0 are ignored.
     *
     * @param source    where they came from
     * @param endpoints the addresses, in any order; duplicates are harmless
     */
    public void addCandidates(Source source, Collection<Endpoint> endpoints) {
        Objects.requireNonNull(source, "source");
        long now = env.nowMillis();
        for (Endpoint endpoint : endpoints) {
            if (endpoint != null) {
                offer(source, endpoint, now);
            }
        }
    }

    /**
     * Takes in a beacon received from the LAN (already opened and decoded): this node's own are
     * ignored; any other makes its endpoint a {@link Source#MULTICAST} candidate. A beacon from
     * a new instance at a known endpoint resets that candidate's back-off, since a restarted
     * process is waiting there.
     */
    public void onBeacon(Beacon beacon) {
        if (beacon.instanceId() == instanceId) {
            ownBeaconsIgnored++;
            return;
        }
        long now = env.nowMillis();
        Candidate c = offer(Source.MULTICAST, beacon.endpoint(), now);
        if (c == null) {
            return;
        }
        if (c.instanceKnown && c.instanceId != beacon.instanceId() && c.nextAttemptMillis > now) {
            c.attempts = 0;
            c.nextAttemptMillis = now;
            nextWakeMillis = now;
        }
        c.instanceId = beacon.instanceId();
        c.instanceKnown = true;
    }

    /**
     * What this node announces: its advertised endpoint and this process's instance id.
     *
     * @throws IllegalArgumentException if the advertised endpoint cannot travel in a beacon
     *     (port 0, or a host longer than 253 characters)
     */
    public Beacon beacon() {
        if (beacon == null) {
            beacon = new Beacon(instanceId, self);
        }
        return beacon;
    }

    /** This process's random beacon instance id. */
    public long instanceId() {
        return instanceId;
    }

    /** The endpoints held, the one announced longest ago first. A copy. */
    public List<Endpoint> candidates() {
        return List.copyOf(candidates.keySet());
    }

    /** The counters as of now. */
    public Stats stats() {
        return new Stats(candidates.size(), joinAttempts, expired, evicted, ownBeaconsIgnored);
    }

    private Candidate offer(Source source, Endpoint endpoint, long now) {
        if (endpoint.equals(self) || endpoint.port() == 0) {
            return null;
        }
        Candidate c = candidates.get(endpoint);
        if (c == null) {
            if (candidates.size() >= maxCandidates) {
                evictStalest();
            }
            c = new Candidate(endpoint, now);
        }
        c.sources |= source.bit();
        c.lastAnnouncedMillis = now;
        candidates.putLast(endpoint, c);
        nextWakeMillis = Math.min(nextWakeMillis, c.nextAttemptMillis);
        return c;
    }

    private void evictStalest() {
        Iterator<Candidate> it = candidates.values().iterator();
        while (it.hasNext()) {
            if (!it.next().isSeed()) {
                it.remove();
                evicted++;
                return;
            }
        }
        it = candidates.values().iterator();
        it.next();
        it.remove();
        evicted++;
    }

    /** On becoming alone: no attempt waits longer than {@code aloneBackoff} from now. */
    private void pullForward(long now) {
        for (Candidate c : candidates.values()) {
            long bound = now + env.random().nextLong(aloneBackoffMillis + 1);
            if (c.nextAttemptMillis > bound) {
                c.nextAttemptMillis = bound;
            }
            nextWakeMillis = Math.min(nextWakeMillis, c.nextAttemptMillis);
        }
    }

    /** The back-off before the next attempt after {@code attempts} attempts (at least 1). */
    private long backoffMillis(int attempts) {
        long base = initialBackoffMillis;
        for (int n = 1; n < attempts && base < maxBackoffMillis; n++) {
            base *= 2;
        }
        base = Math.min(base, maxBackoffMillis);
        return alone ? Math.min(base, aloneBackoffMillis) : base;
    }

    /** A delay drawn uniformly from {@code [ceil(base / 2), base]}. */
    private long jitter(long base) {
        RandomGenerator random = env.random();
        return base - random.nextLong(base / 2 + 1);
    }
}
