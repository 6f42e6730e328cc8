package io.iridium.routing;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable snapshot of where messages go: which live nodes serve each cluster and which
 * subscribe to which topic patterns, built by {@link Registry#routes()} from the advertisements
 * of the nodes it considers live (itself included).
 *
 * <p>Everything is sorted deterministically: clusters by name, each cluster's routes by node
 * identity, patterns by text. Two registries that hold the same advertisements and the same
 * live set produce equal {@link #clusters()}, {@link #subscriptions()} and
 * {@link #advertisements()}, which is what convergence checks compare.
 *
 * <p>Thread-safe: a snapshot never changes after construction, and all its state is reachable
 * through final fields, so it can be handed to any number of threads (the messaging layer reads
 * it on every request and publish while the protocol loop builds the next one).
 */
public final class Routes {

    private final long version;
    private final SortedMap<String, List<Route>> clusters;
    private final SortedMap<String, SortedSet<NodeId>> subscriptions;
    private final SortedMap<NodeId, Advertisement> advertisements;
    private final TopicTrie<NodeId> topics;

    /**
     * Builds the snapshot of {@code live} advertisements.
     *
     * @param version a number that the registry raises with every change to its routes
     * @param live    the advertisements of the nodes to route to, at most one per owner
     */
    Routes(long version, Collection<Advertisement> live) {
        this.version = version;
        TreeMap<NodeId, Advertisement> byOwner = new TreeMap<>();
        for (Advertisement ad : live) {
            if (byOwner.put(ad.owner(), ad) != null) {
                throw new IllegalArgumentException("two advertisements of " + ad.owner());
            }
        }
        TreeMap<String, List<Route>> byCluster = new TreeMap<>();
        TreeMap<String, SortedSet<NodeId>> byPattern = new TreeMap<>();
        TopicTrie<NodeId> trie = new TopicTrie<>();
        for (Advertisement ad : byOwner.values()) {
            for (Map.Entry<String, Integer> service : ad.services().entrySet()) {
                byCluster.computeIfAbsent(service.getKey(), k -> new ArrayList<>())
                        .add(new Route(ad.owner(), ad.address(), service.getValue()));
            }
            for (String pattern : ad.patterns()) {
                byPattern.computeIfAbsent(pattern, k -> new TreeSet<>()).add(ad.owner());
                trie.add(pattern, ad.owner());
            }
        }
        byCluster.replaceAll((cluster, routes) -> List.copyOf(routes));
        byPattern.replaceAll((pattern, nodes) -> Collections.unmodifiableSortedSet(nodes));
        this.clusters = Collections.unmodifiableSortedMap(byCluster);
        this.subscriptions = Collections.unmodifiableSortedMap(byPattern);
        this.advertisements = Collections.unmodifiableSortedMap(byOwner);
        this.topics = trie.snapshot();
    }

    /** Raised by the registry on every change; a later snapshot of one registry has a higher version. */
    public long version() {
        return version;
    }

    /**
     * The live members serving {@code cluster}, sorted by node identity; empty when none (the
     * caller's "no members" case). Does not validate the name: an invalid one has no members.
     */
    public List<Route> membersOf(String cluster) {
        return clusters.getOrDefault(cluster, List.of());
    }

    /**
     * The live nodes with at least one pattern matching {@code subject}: a new set the caller
     * owns, empty when none. (The publish path memoises its own per-subject target lists in the
     * runtime's route table, so this is not memoised again here.)
     *
     * @throws IllegalArgumentException if {@code subject} is not a valid subject
     */
    public Set<NodeId> subscribersOf(String subject) {
        return topics.match(subject);
    }

    /** Whether any live node subscribes to a pattern matching {@code subject}; allocates nothing. */
    public boolean hasSubscribers(String subject) {
        return topics.hasMatch(subject);
    }

    /** Every served cluster with its live members, sorted by name then node. */
    public SortedMap<String, List<Route>> clusters() {
        return clusters;
    }

    /** Every subscribed pattern with its live subscribers, sorted (for status pages and checks). */
    public SortedMap<String, SortedSet<NodeId>> subscriptions() {
        return subscriptions;
    }

    /** The advertisement of every node routed to, by owner. */
    public SortedMap<NodeId, Advertisement> advertisements() {
        return advertisements;
    }

    /** The data-plane address of a node routed to, or empty when it is not live or not known. */
    public Optional<Endpoint> addressOf(NodeId node) {
        Advertisement ad = advertisements.get(node);
        return ad == null ? Optional.empty() : Optional.of(ad.address());
    }

    /** The read-only trie behind {@link #subscribersOf(String)}. */
    public TopicTrie<NodeId> topics() {
        return topics;
    }

    @Override
    public String toString() {
        return "Routes[v" + version + ", " + advertisements.size() + " nodes, " + clusters.size() + " clusters, "
                + subscriptions.size() + " patterns]";
    }
}
