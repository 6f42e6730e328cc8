package io.iridium.membership;

/**
 * Timing and sizing of the SWIM protocol: an immutable record, validated once, built with
 * {@link #lan()} or {@link #builder()}. Defaults follow HashiCorp memberlist's LAN profile.
 *
 * <p>Suspicion timeouts scale with the network: with {@code n} live members and
 * {@code scale = max(1, log10(n))}, a fresh suspicion lasts
 * {@code suspicionMaxMultiplier × scale × protocolPeriod} and shrinks towards
 * {@code suspicionMinMultiplier × scale × protocolPeriod} as {@code suspicionConfirmations}
 * independent suspecters confirm it (Lifeguard). Gossip is retransmitted
 * {@code retransmitMultiplier × ceil(log10(n + 1))} times.
 *
 * @param tickMillis               how often the driver calls {@link Swim#tick()} (100 ms)
 * @param protocolPeriodMillis     one probe per period, scaled by local health (1 s)
 * @param probeTimeoutMillis       wait this long for a direct ack before probing indirectly, scaled by local health (500 ms)
 * @param indirectProbes           k: how many members probe indirectly on our behalf (3)
 * @param suspicionMinMultiplier   shortest suspicion, in units of scale × period (4)
 * @param suspicionMaxMultiplier   longest (unconfirmed) suspicion, in units of scale × period (24, memberlist's 6 × 4)
 * @param suspicionConfirmations   independent confirmations that shrink a suspicion to its minimum (2)
 * @param retransmitMultiplier     each update is sent this many × ceil(log10(n+1)) times (4)
 * @param maxLocalHealth           the highest Lifeguard local-health score; timeouts scale by score + 1 (8)
 * @param pushPullIntervalMillis   full-state exchange with a random member, scaled up past 32 members (30 s)
 * @param gossipIntervalMillis     how often pending gossip goes to {@code gossipFanout} random members (200 ms)
 * @param gossipFanout             members per gossip round (3)
 * @param gossipToTheDeadMillis    keep gossiping to a member this long after it died, so it can learn and refute (30 s)
 * @param maxDatagramBytes         largest encoded probe or gossip datagram, before sealing (1400)
 * @param maxPushPullDatagramBytes largest encoded push-pull part, before sealing (60 000)
 * @param forgetAfterMillis        DEAD and LEFT members are forgotten this long after the verdict (5 min)
 * @param reconnectIntervalMillis  how often to push-pull with one random DEAD member, to heal partitions (10 s)
 */
public record SwimConfig(
        long tickMillis,
        long protocolPeriodMillis,
        long probeTimeoutMillis,
        int indirectProbes,
        double suspicionMinMultiplier,
        double suspicionMaxMultiplier,
        int suspicionConfirmations,
        int retransmitMultiplier,
        int maxLocalHealth,
        long pushPullIntervalMillis,
        long gossipIntervalMillis,
        int gossipFanout,
        long gossipToTheDeadMillis,
        int maxDatagramBytes,
        int maxPushPullDatagramBytes,
        long forgetAfterMillis,
        long reconnectIntervalMillis) {

    /** Smallest datagram budget that still fits a probe with a few updates. */
    public static final int MIN_DATAGRAM_BYTES = 512;

    public SwimConfig {
        positive("tickMillis", tickMillis);
        positive("protocolPeriodMillis", protocolPeriodMillis);
        positive("probeTimeoutMillis", probeTimeoutMillis);
        if (probeTimeoutMillis >= protocolPeriodMillis) {
            throw new IllegalArgumentException("probeTimeoutMillis (" + probeTimeoutMillis
                    + ") must be shorter than protocolPeriodMillis (" + protocolPeriodMillis + ")");
        }
        if (tickMillis > probeTimeoutMillis) {
            throw new IllegalArgumentException("tickMillis must not exceed probeTimeoutMillis");
        }
        if (indirectProbes < 0) {
            throw new IllegalArgumentException("indirectProbes must be >= 0: " + indirectProbes);
        }
        if (!(suspicionMinMultiplier > 0) || suspicionMaxMultiplier < suspicionMinMultiplier) {
            throw new IllegalArgumentException("need 0 < suspicionMinMultiplier <= suspicionMaxMultiplier, got "
                    + suspicionMinMultiplier + ", " + suspicionMaxMultiplier);
        }
        if (suspicionConfirmations < 0) {
            throw new IllegalArgumentException("suspicionConfirmations must be >= 0");
        }
        positive("retransmitMultiplier", retransmitMultiplier);
        if (maxLocalHealth < 0) {
            throw new IllegalArgumentException("maxLocalHealth must be >= 0");
        }
        positive("pushPullIntervalMillis", pushPullIntervalMillis);
        positive("gossipIntervalMillis", gossipIntervalMillis);
        positive("gossipFanout", gossipFanout);
        if (gossipToTheDeadMillis < 0) {
            throw new IllegalArgumentException("gossipToTheDeadMillis must be >= 0");
        }
        if (maxDatagramBytes < MIN_DATAGRAM_BYTES || maxDatagramBytes > SwimCodec.MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("maxDatagramBytes out of " + MIN_DATAGRAM_BYTES + ".."
                    + SwimCodec.MAX_DATAGRAM_BYTES + ": " + maxDatagramBytes);
        }
        if (maxPushPullDatagramBytes < maxDatagramBytes || maxPushPullDatagramBytes > SwimCodec.MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("maxPushPullDatagramBytes out of maxDatagramBytes.."
                    + SwimCodec.MAX_DATAGRAM_BYTES + ": " + maxPushPullDatagramBytes);
        }
        positive("forgetAfterMillis", forgetAfterMillis);
        positive("reconnectIntervalMillis", reconnectIntervalMillis);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** memberlist's LAN profile: 1 s protocol period, 500 ms probe timeout, k = 3. */
    public static SwimConfig lan() {
        return builder().build();
    }

    /** A builder starting from the {@link #lan()} defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tickMillis = tickMillis;
        b.protocolPeriodMillis = protocolPeriodMillis;
        b.probeTimeoutMillis = probeTimeoutMillis;
        b.indirectProbes = indirectProbes;
        b.suspicionMinMultiplier = suspicionMinMultiplier;
        b.suspicionMaxMultiplier = suspicionMaxMultiplier;
        b.suspicionConfirmations = suspicionConfirmations;
        b.retransmitMultiplier = retransmitMultiplier;
        b.maxLocalHealth = maxLocalHealth;
        b.pushPullIntervalMillis = pushPullIntervalMillis;
        b.gossipIntervalMillis = gossipIntervalMillis;
        b.gossipFanout = gossipFanout;
        b.gossipToTheDeadMillis = gossipToTheDeadMillis;
        b.maxDatagramBytes = maxDatagramBytes;
        b.maxPushPullDatagramBytes = maxPushPullDatagramBytes;
        b.forgetAfterMillis = forgetAfterMillis;
        b.reconnectIntervalMillis = reconnectIntervalMillis;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. Each setter's default is the LAN profile's. */
    public static final class Builder {
        private long tickMillis = 100;
        private long protocolPeriodMillis = 1_000;
        private long probeTimeoutMillis = 500;
        private int indirectProbes = 3;
        private double suspicionMinMultiplier = 4;
        private double suspicionMaxMultiplier = 24;
        private int suspicionConfirmations = 2;
        private int retransmitMultiplier = 4;
        private int maxLocalHealth = 8;
        private long pushPullIntervalMillis = 30_000;
        private long gossipIntervalMillis = 200;
        private int gossipFanout = 3;
        private long gossipToTheDeadMillis = 30_000;
        private int maxDatagramBytes = 1_400;
        private int maxPushPullDatagramBytes = 60_000;
        private long forgetAfterMillis = 300_000;
        private long reconnectIntervalMillis = 10_000;

        private Builder() {}

        public Builder tickMillis(long value) { tickMillis = value; return this; }
        public Builder protocolPeriodMillis(long value) { protocolPeriodMillis = value; return this; }
        public Builder probeTimeoutMillis(long value) { probeTimeoutMillis = value; return this; }
        public Builder indirectProbes(int value) { indirectProbes = value; return this; }
        public Builder suspicionMinMultiplier(double value) { suspicionMinMultiplier = value; return this; }
        public Builder suspicionMaxMultiplier(double value) { suspicionMaxMultiplier = value; return this; }
        public Builder suspicionConfirmations(int value) { suspicionConfirmations = value; return this; }
        public Builder retransmitMultiplier(int value) { retransmitMultiplier = value; return this; }
        public Builder maxLocalHealth(int value) { maxLocalHealth = value; return this; }
        public Builder pushPullIntervalMillis(long value) { pushPullIntervalMillis = value; return this; }
        public Builder gossipIntervalMillis(long value) { gossipIntervalMillis = value; return this; }
        public Builder gossipFanout(int value) { gossipFanout = value; return this; }
        public Builder gossipToTheDeadMillis(long value) { gossipToTheDeadMillis = value; return this; }
        public Builder maxDatagramBytes(int value) { maxDatagramBytes = value; return this; }
        public Builder maxPushPullDatagramBytes(int value) { maxPushPullDatagramBytes = value; return this; }
        public Builder forgetAfterMillis(long value) { forgetAfterMillis = value; return this; }
        public Builder reconnectIntervalMillis(long value) { reconnectIntervalMillis = value; return this; }

        public SwimConfig build() {
            return new SwimConfig(tickMillis, protocolPeriodMillis, probeTimeoutMillis, indirectProbes,
                    suspicionMinMultiplier, suspicionMaxMultiplier, suspicionConfirmations, retransmitMultiplier,
                    maxLocalHealth, pushPullIntervalMillis, gossipIntervalMillis, gossipFanout, gossipToTheDeadMillis,
                    maxDatagramBytes, maxPushPullDatagramBytes, forgetAfterMillis, reconnectIntervalMillis);
        }
    }
}
