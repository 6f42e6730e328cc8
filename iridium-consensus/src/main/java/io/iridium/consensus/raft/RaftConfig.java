package io.iridium.consensus.raft;

import io.iridium.NodeId;

import java.util.Objects;

/**
 * The settings of one Raft node, validated once. Build with {@link #builder(NodeId)}.
 *
 * @param id                   this node's identity
 * @param electionTicks        ({@code 10}) ticks without a leader before campaigning; the actual
 *                             timeout is drawn uniformly from {@code [electionTicks, 2·electionTicks)}
 * @param heartbeatTicks       ({@code 1}) ticks between a leader's heartbeats
 * @param preVote              ({@code true}) run a pre-vote before raising the term
 * @param checkQuorum          ({@code true}) a leader steps down after an election timeout without
 *                             hearing from a quorum, and followers ignore votes while they hear
 *                             from a leader
 * @param readMode             ({@code SAFE}) how {@link RaftNode#readIndex(long)} confirms leadership
 * @param maxClockDriftTicks   ({@code 2}) for lease reads: how many ticks the leader's tick count
 *                             may run slow compared to any follower's over one election timeout
 * @param maxInflightAppends   ({@code 256}) appends in flight to one follower while pipelining
 * @param maxAppendBytes       ({@code 1 MiB}) payload bytes in one append (at least one entry)
 * @param snapshotChunkBytes   ({@code 1 MiB}) bytes per snapshot chunk
 * @param learnerCatchUpEntries ({@code 100}) how far behind the leader's last index a learner may
 *                             be when it is promoted to voter
 */
public record RaftConfig(NodeId id, int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum,
                         ReadMode readMode, int maxClockDriftTicks, int maxInflightAppends, int maxAppendBytes,
                         int snapshotChunkBytes, long learnerCatchUpEntries) {

    /** How leadership is confirmed for linearizable reads. */
    public enum ReadMode {
        /** ReadIndex: a quorum acknowledges a heartbeat sent after the read arrived. */
        SAFE,
        /**
         * Lease: the leader answers alone while a quorum acknowledged a heartbeat sent less than
         * {@code electionTicks - maxClockDriftTicks} ticks ago. Clock assumption: followers refuse
         * to vote for {@code electionTicks} ticks after hearing from the leader, so the lease is
         * sound only if no node's ticks run faster than the leader's by more than
         * {@code maxClockDriftTicks} per election timeout, and a paused leader process (a long
         * GC pause, a stopped VM) counts as a clock running slow. A restarted node also refuses
         * votes for its first {@code electionTicks} ticks, since it may have acknowledged a lease
         * before crashing. Requires {@code checkQuorum}; falls back to {@link #SAFE} when the
         * lease has lapsed.
         */
        LEASE
    }

    /** Validates the settings. */
    public RaftConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(readMode, "readMode");
        if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 1 <= heartbeatTicks < electionTicks, got "
                    + heartbeatTicks + " and " + electionTicks);
        }
        if (maxInflightAppends < 1 || maxAppendBytes < 1 || snapshotChunkBytes < 1 || learnerCatchUpEntries < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (readMode == ReadMode.LEASE && (!checkQuorum || maxClockDriftTicks < 0 || maxClockDriftTicks >= electionTicks)) {
            throw new IllegalArgumentException("lease reads need checkQuorum and 0 <= maxClockDriftTicks < electionTicks");
        }
    }

    /**
     * A builder with the defaults above.
     *
     * @param id this node's identity
     * @return a builder
     */
    public static Builder builder(NodeId id) {
        return new Builder(id);
    }

    /** Builds a {@link RaftConfig}. Not thread-safe. */
    public static final class Builder {
        private final NodeId id;
        private int electionTicks = 10;
        private int heartbeatTicks = 1;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private ReadMode readMode = ReadMode.SAFE;
        private int maxClockDriftTicks = 2;
        private int maxInflightAppends = 256;
        private int maxAppendBytes = 1 << 20;
        private int snapshotChunkBytes = 1 << 20;
        private long learnerCatchUpEntries = 100;

        private Builder(NodeId id) {
            this.id = id;
        }

        /**
         * Sets {@link RaftConfig#electionTicks()}.
         *
         * @param ticks the value
         * @return this builder
         */
        public Builder electionTicks(int ticks) {
            this.electionTicks = ticks;
            return this;
        }

        /**
         * Sets {@link RaftConfig#heartbeatTicks()}.
         *
         * @param ticks the value
         * @return this builder
         */
        public Builder heartbeatTicks(int ticks) {
            this.heartbeatTicks = ticks;
            return this;
        }

        /**
         * Sets {@link RaftConfig#preVote()}.
         *
         * @param enabled the value
         * @return this builder
         */
        public Builder preVote(boolean enabled) {
            this.preVote = enabled;
            return this;
        }

        /**
         * Sets {@link RaftConfig#checkQuorum()}.
         *
         * @param enabled the value
         * @return this builder
         */
        public Builder checkQuorum(boolean enabled) {
            this.checkQuorum = enabled;
            return this;
        }

        /**
         * Sets {@link RaftConfig#readMode()}.
         *
         * @param mode the value
         * @return this builder
         */
        public Builder readMode(ReadMode mode) {
            this.readMode = mode;
            return this;
        }

        /**
         * Sets {@link RaftConfig#maxClockDriftTicks()}.
         *
         * @param ticks the value
         * @return this builder
         */
        public Builder maxClockDriftTicks(int ticks) {
            this.maxClockDriftTicks = ticks;
            return this;
        }

        /**
         * Sets {@link RaftConfig#maxInflightAppends()}.
         *
         * @param count the value
         * @return this builder
         */
        public Builder maxInflightAppends(int count) {
            this.maxInflightAppends = count;
            return this;
        }

        /**
         * Sets {@link RaftConfig#maxAppendBytes()}.
         *
         * @param bytes the value
         * @return this builder
         */
        public Builder maxAppendBytes(int bytes) {
            this.maxAppendBytes = bytes;
            return this;
        }

        /**
         * Sets {@link RaftConfig#snapshotChunkBytes()}.
         *
         * @param bytes the value
         * @return this builder
         */
        public Builder snapshotChunkBytes(int bytes) {
            this.snapshotChunkBytes = bytes;
            return this;
        }

        /**
         * Sets {@link RaftConfig#learnerCatchUpEntries()}.
         *
         * @param entries the value
         * @return this builder
         */
        public Builder learnerCatchUpEntries(long entries) {
            this.learnerCatchUpEntries = entries;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException when a setting is out of range
         */
        public RaftConfig build() {
            return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, readMode,
                    maxClockDriftTicks, maxInflightAppends, maxAppendBytes, snapshotChunkBytes, learnerCatchUpEntries);
        }
    }
}
