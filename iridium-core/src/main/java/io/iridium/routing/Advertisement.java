package io.iridium.routing;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one node tells the network about itself: where it takes data-plane connections, which
 * clusters it serves (with a capacity each) and which topic patterns it subscribes to.
 *
 * <p>Each node owns exactly one advertisement and raises its {@code version} whenever the
 * content changes; the registry keeps, per owner, the advertisement with the highest version
 * ({@link #supersedes(Advertisement)}), so every node converges on the same view whatever
 * order the copies arrive in. A restarted process is a new {@link NodeId} and starts its own
 * version sequence.
 *
 * <p>Immutable: the maps and sets are sorted, unmodifiable copies, so equal content gives equal
 * records and an identical encoding.
 *
 * @param owner    the node this advertisement describes (and the only node that may change it)
 * @param address  where the owner accepts data-plane connections
 * @param version  raised by the owner on each change; a higher version replaces a lower one
 * @param services cluster name → capacity (0 or more; its meaning is the load balancer's),
 *                 each name valid per {@link Subjects#validateCluster(String)}
 * @param patterns topic patterns subscribed to, each valid per
 *                 {@link Subjects#validatePattern(String)}
 */
public record Advertisement(NodeId owner, Endpoint address, long version, SortedMap<String, Integer> services,
                            SortedSet<String> patterns) {

    /**
     * @throws IllegalArgumentException for a negative version or capacity, an invalid cluster
     *                                  name or an invalid pattern
     */
    public Advertisement {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(address, "address");
        if (version < 0) {
            throw new IllegalArgumentException("advertisement version must be >= 0: " + version);
        }
        services = copyServices(services);
        patterns = copyPatterns(patterns);
    }

    /**
     * An advertisement from plain collections (copied, validated and sorted).
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Advertisement of(NodeId owner, Endpoint address, long version, Map<String, Integer> services,
                                   Set<String> patterns) {
        return new Advertisement(owner, address, version, new TreeMap<>(Objects.requireNonNull(services, "services")),
                new TreeSet<>(Objects.requireNonNull(patterns, "patterns")));
    }

    /** Whether this advertisement replaces {@code other}: same owner, higher version. A null other is replaced. */
    public boolean supersedes(Advertisement other) {
        return other == null || (owner.equals(other.owner) && version > other.version);
    }

    /** Whether this and {@code other} say the same thing, whatever their owners and versions. */
    public boolean sameContent(Advertisement other) {
        return address.equals(other.address) && services.equals(other.services) && patterns.equals(other.patterns);
    }

    private static SortedMap<String, Integer> copyServices(Map<String, Integer> services) {
        Objects.requireNonNull(services, "services");
        TreeMap<String, Integer> copy = new TreeMap<>();
        for (Map.Entry<String, Integer> entry : services.entrySet()) {
            String cluster = Subjects.validateCluster(entry.getKey());
            Integer capacity = Objects.requireNonNull(entry.getValue(), "capacity of " + cluster);
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity of cluster " + cluster + " must be >= 0: " + capacity);
            }
            copy.put(cluster, capacity);
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    private static SortedSet<String> copyPatterns(Set<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        TreeSet<String> copy = new TreeSet<>();
        for (String pattern : patterns) {
            copy.add(Subjects.validatePattern(pattern));
        }
        return Collections.unmodifiableSortedSet(copy);
    }
}
