package io.iridium.routing;

/**
 * Timing and sizing of the routing registry's gossip: an immutable record, validated once,
 * built with {@link #defaults()} or {@link #builder()}.
 *
 * @param syncIntervalMillis           anti-entropy: a digest to one random live member this often (2 s)
 * @param catchUpIntervalMillis        the same, while the registry is not yet {@linkplain Registry#isSynced() synced} (250 ms)
 * @param pushFanout                   a changed local advertisement, and each advertisement first learned from a push, go to this many random live members (3)
 * @param maxMessageBytes              largest encoded message; larger updates, digests and pulls are split (60 000)
 * @param downRetentionMillis          after {@link Registry#memberDown} an owner's advertisements are refused this long (5 min)
 * @param unknownOwnerRetentionMillis  an advertisement whose owner membership never reports live is dropped after this long (2 min)
 */
public record RegistryConfig(
        long syncIntervalMillis,
        long catchUpIntervalMillis,
        int pushFanout,
        int maxMessageBytes,
        long downRetentionMillis,
        long unknownOwnerRetentionMillis) {

    /**
     * The smallest message budget: room for the header and one advertisement of a few services
     * and patterns. A local advertisement must fit in one message.
     */
    public static final int MIN_MESSAGE_BYTES = 512;

    public RegistryConfig {
        positive("syncIntervalMillis", syncIntervalMillis);
        positive("catchUpIntervalMillis", catchUpIntervalMillis);
        if (catchUpIntervalMillis > syncIntervalMillis) {
            throw new IllegalArgumentException("catchUpIntervalMillis (" + catchUpIntervalMillis
                    + ") must not exceed syncIntervalMillis (" + syncIntervalMillis + ")");
        }
        if (pushFanout < 0) {
            throw new IllegalArgumentException("pushFanout must be >= 0: " + pushFanout);
        }
        if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > RegistryCodec.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes out of " + MIN_MESSAGE_BYTES + ".."
                    + RegistryCodec.MAX_MESSAGE_BYTES + ": " + maxMessageBytes);
        }
        positive("downRetentionMillis", downRetentionMillis);
        positive("unknownOwnerRetentionMillis", unknownOwnerRetentionMillis);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** The defaults listed in the class comment. */
    public static RegistryConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.syncIntervalMillis = syncIntervalMillis;
        b.catchUpIntervalMillis = catchUpIntervalMillis;
        b.pushFanout = pushFanout;
        b.maxMessageBytes = maxMessageBytes;
        b.downRetentionMillis = downRetentionMillis;
        b.unknownOwnerRetentionMillis = unknownOwnerRetentionMillis;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private long syncIntervalMillis = 2_000;
        private long catchUpIntervalMillis = 250;
        private int pushFanout = 3;
        private int maxMessageBytes = 60_000;
        private long downRetentionMillis = 300_000;
        private long unknownOwnerRetentionMillis = 120_000;

        private Builder() {}

        public Builder syncIntervalMillis(long value) { syncIntervalMillis = value; return this; }
        public Builder catchUpIntervalMillis(long value) { catchUpIntervalMillis = value; return this; }
        public Builder pushFanout(int value) { pushFanout = value; return this; }
        public Builder maxMessageBytes(int value) { maxMessageBytes = value; return this; }
        public Builder downRetentionMillis(long value) { downRetentionMillis = value; return this; }
        public Builder unknownOwnerRetentionMillis(long value) { unknownOwnerRetentionMillis = value; return this; }

        public RegistryConfig build() {
            return new RegistryConfig(syncIntervalMillis, catchUpIntervalMillis, pushFanout, maxMessageBytes,
                    downRetentionMillis, unknownOwnerRetentionMillis);
        }
    }
}
