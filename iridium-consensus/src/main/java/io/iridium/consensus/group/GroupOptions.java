package io.iridium.consensus.group;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run one member of a Raft group on the fabric.
 *
 * @param cluster         the group's cluster name: every member registers it, clients address it
 * @param members         the founding members' names (used only when the data directory is new;
 *                        afterwards membership changes only through the log). A node whose name is
 *                        not among them starts empty and waits to be added.
 * @param dataDir         where the member's log, hard state and snapshots live
 * @param tick            one Raft tick of wall time
 * @param electionTicks   election timeout in ticks (randomized up to twice this)
 * @param heartbeatTicks  heartbeat interval in ticks
 * @param requestTimeout  how long a member waits for a command to commit or a read to be served
 * @param snapshotEntries applied entries between two snapshots (which compact the log)
 */
public record GroupOptions(String cluster, List<String> members, Path dataDir, Duration tick, int electionTicks,
                           int heartbeatTicks, Duration requestTimeout, long snapshotEntries) {

    /** Validates and copies the fields. */
    public GroupOptions {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("a group needs a cluster name");
        }
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one founding member name");
        }
        if (members.stream().distinct().count() != members.size()) {
            throw new IllegalArgumentException("founding member names repeat: " + members);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (tick.isNegative() || tick.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("tick and request timeout must be positive");
        }
        if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 1 <= heartbeat ticks < election ticks, got " + heartbeatTicks
                    + " and " + electionTicks);
        }
        if (snapshotEntries < 1) {
            throw new IllegalArgumentException("snapshot interval must be positive");
        }
    }

    /**
     * Options with defaults: a 50 ms tick, elections after 10-20 ticks (0.5-1 s), heartbeats
     * every 2 ticks, 5 s request timeout, a snapshot every 10,000 entries.
     *
     * @param cluster the group's cluster name
     * @param members the founding members' names
     * @param dataDir the member's data directory
     * @return the options
     */
    public static GroupOptions of(String cluster, List<String> members, Path dataDir) {
        return new GroupOptions(cluster, members, dataDir, Duration.ofMillis(50), 10, 2, Duration.ofSeconds(5), 10_000);
    }

    /**
     * The same options with another tick.
     *
     * @param newTick the tick
     * @return new options
     */
    public GroupOptions withTick(Duration newTick) {
        return new GroupOptions(cluster, members, dataDir, newTick, electionTicks, heartbeatTicks, requestTimeout,
                snapshotEntries);
    }

    /**
     * The same options with another snapshot interval.
     *
     * @param entries applied entries between snapshots
     * @return new options
     */
    public GroupOptions withSnapshotEntries(long entries) {
        return new GroupOptions(cluster, members, dataDir, tick, electionTicks, heartbeatTicks, requestTimeout, entries);
    }
}
