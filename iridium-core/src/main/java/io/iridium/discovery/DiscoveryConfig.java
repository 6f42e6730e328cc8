package io.iridium.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * How eagerly {@link Discovery} joins its candidates and how much it remembers: an immutable
 * record, built with {@link #builder()} and validated once.
 *
 * <p>Each option, with its default and meaning:
 * <ul>
 *   <li>{@code initialBackoff} (200 ms): the delay after a candidate's first failed join attempt;
 *       it doubles after each further attempt.
 *   <li>{@code maxBackoff} (30 s): the longest delay between two attempts at one candidate;
 *       seeds and DNS candidates are retried at this pace for ever.
 *   <li>{@code aloneBackoff} (1 s): while the node has no other live member, no delay exceeds
 *       this, so nodes that start together find each other within a few seconds.
 *   <li>{@code liveRecheck} (1 s): how often a candidate that is a live member is checked again,
 *       so that discovery resumes joining it soon after it is lost (a partition).
 *   <li>{@code announceTtl} (30 s): multicast and loopback candidates are forgotten when not
 *       re-announced for this long.
 *   <li>{@code maxCandidates} (4,096): the most candidates remembered; over it, the one announced
 *       longest ago is evicted (configured seeds last).
 *   <li>{@code maxJoinsPerTick} (32): the most join attempts one {@link Discovery#tick()} makes;
 *       the rest wait for the next tick.
 * </ul>
 */
public record DiscoveryConfig(
        Duration initialBackoff,
        Duration maxBackoff,
        Duration aloneBackoff,
        Duration liveRecheck,
        Duration announceTtl,
        int maxCandidates,
        int maxJoinsPerTick) {

    /** @throws IllegalArgumentException naming the first bad option */
    public DiscoveryConfig {
        positive("initialBackoff", initialBackoff);
        positive("maxBackoff", maxBackoff);
        positive("aloneBackoff", aloneBackoff);
        positive("liveRecheck", liveRecheck);
        positive("announceTtl", announceTtl);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff " + maxBackoff + " must not be shorter than initialBackoff " + initialBackoff);
        }
        if (aloneBackoff.compareTo(initialBackoff) < 0 || aloneBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("aloneBackoff " + aloneBackoff + " must lie between initialBackoff "
                    + initialBackoff + " and maxBackoff " + maxBackoff);
        }
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be at least 1, got " + maxCandidates);
        }
        if (maxJoinsPerTick < 1) {
            throw new IllegalArgumentException("maxJoinsPerTick must be at least 1, got " + maxJoinsPerTick);
        }
    }

    /** Every option at its default. */
    public static DiscoveryConfig defaults() {
        return builder().build();
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + value);
        }
    }

    /** Builds a {@link DiscoveryConfig}; not thread-safe. */
    public static final class Builder {
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration aloneBackoff = Duration.ofSeconds(1);
        private Duration liveRecheck = Duration.ofSeconds(1);
        private Duration announceTtl = Duration.ofSeconds(30);
        private int maxCandidates = 4_096;
        private int maxJoinsPerTick = 32;

        private Builder() {}

        /** The delay after a candidate's first failed attempt. */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** The longest delay between attempts at one candidate. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** The longest delay between attempts while the node has no other live member. */
        public Builder aloneBackoff(Duration aloneBackoff) {
            this.aloneBackoff = aloneBackoff;
            return this;
        }

        /** How often a candidate that is a live member is checked again. */
        public Builder liveRecheck(Duration liveRecheck) {
            this.liveRecheck = liveRecheck;
            return this;
        }

        /** How long a multicast or loopback candidate lives without re-announcement. */
        public Builder announceTtl(Duration announceTtl) {
            this.announceTtl = announceTtl;
            return this;
        }

        /** The most candidates remembered. */
        public Builder maxCandidates(int maxCandidates) {
            this.maxCandidates = maxCandidates;
            return this;
        }

        /** The most join attempts per tick. */
        public Builder maxJoinsPerTick(int maxJoinsPerTick) {
            this.maxJoinsPerTick = maxJoinsPerTick;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first bad option
         */
        public DiscoveryConfig build() {
            return new DiscoveryConfig(initialBackoff, maxBackoff, aloneBackoff, liveRecheck, announceTtl,
                    maxCandidates, maxJoinsPerTick);
        }
    }
}
