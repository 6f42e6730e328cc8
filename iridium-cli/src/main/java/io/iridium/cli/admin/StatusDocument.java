package io.iridium.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iridium.Member;
import io.iridium.Node;
import io.iridium.NodeId;
import io.iridium.routing.Routes;
import io.iridium.runtime.NodeRuntime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON document served at {@code GET /status} and read back by {@code iridium status}.
 *
 * <pre>{@code
 * {
 *   "self":    { "id": "9f1c...32 hex", "name": "node-a", "address": "127.0.0.1:7946",
 *                "state": "ALIVE", "incarnation": 0, "self": true },
 *   "members": [ { ...the same fields... }, ... ],
 *   "clusters": [ { "name": "databases",
 *                   "members": [ { "id": "...", "name": "node-a", "address": "127.0.0.1:7946" }, ... ] } ],
 *   "topics":   [ { "pattern": "orders.*", "subscribers": [ { "id": ..., "name": ..., "address": ... } ] } ]
 * }
 * }</pre>
 *
 * <p>{@code members} lists every member the node knows of, itself included, ordered by name then
 * id; {@code state} is one of {@code ALIVE}, {@code SUSPECT}, {@code DEAD}, {@code LEFT}.
 * {@code clusters} and {@code topics} are the node's routing registry (served clusters with their
 * live members, subscribed patterns with their live subscribers), sorted by name, pattern and
 * node id; they are empty for a node that has no registry to show. Readers ignore fields they do
 * not know and read missing lists as empty, so versions may add fields.
 *
 * @param self     the serving node
 * @param members  every known member, the serving node included
 * @param clusters every served cluster with its live members
 * @param topics   every subscribed pattern with its live subscribers
 */
public record StatusDocument(MemberEntry self, List<MemberEntry> members, List<ClusterEntry> clusters,
                             List<TopicEntry> topics) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public StatusDocument {
        Objects.requireNonNull(self, "self");
        members = List.copyOf(members);
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    /** A document with membership only (no routing registry). */
    public StatusDocument(MemberEntry self, List<MemberEntry> members) {
        this(self, members, List.of(), List.of());
    }

    /**
     * A node named in the routing part of the document.
     *
     * @param id      the node id, 32 hex digits
     * @param name    its name, when the serving node knows it as a member; else its short id
     * @param address its data-plane address, {@code host:port}
     */
    public record NodeRef(String id, String name, String address) {

        public NodeRef {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }
    }

    /**
     * A served cluster.
     *
     * @param name    the cluster
     * @param members its live members
     */
    public record ClusterEntry(String name, List<NodeRef> members) {

        public ClusterEntry {
            Objects.requireNonNull(name, "name");
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    /**
     * A subscribed topic pattern.
     *
     * @param pattern     the pattern, e.g. {@code orders.*}
     * @param subscribers the live nodes subscribed to it
     */
    public record TopicEntry(String pattern, List<NodeRef> subscribers) {

        public TopicEntry {
            Objects.requireNonNull(pattern, "pattern");
            subscribers = subscribers == null ? List.of() : List.copyOf(subscribers);
        }
    }

    /**
     * One member as the status document shows it.
     *
     * @param id          the node id, 32 hex digits
     * @param name        the node's human-readable name
     * @param address     {@code host:port}
     * @param state       {@code ALIVE}, {@code SUSPECT}, {@code DEAD} or {@code LEFT}
     * @param incarnation the member's incarnation number
     * @param self        whether this is the node serving the document
     */
    public record MemberEntry(String id, String name, String address, String state, long incarnation, boolean self) {

        public MemberEntry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(state, "state");
        }

        static MemberEntry of(Member member, NodeId selfId) {
            return new MemberEntry(
                    member.id().toHex(),
                    member.name(),
                    member.address().toString(),
                    member.state().name(),
                    member.incarnation(),
                    member.id().equals(selfId));
        }
    }

    /**
     * A snapshot of {@code node}'s view of the membership and, for a running node (a
     * {@link NodeRuntime}), of its routing registry.
     */
    public static StatusDocument of(Node node) {
        Member self = node.self();
        List<Member> known = node.members();
        List<MemberEntry> members = known.stream()
                .sorted(Comparator.comparing(Member::name).thenComparing(Member::id))
                .map(member -> MemberEntry.of(member, self.id()))
                .toList();
        if (!(node instanceof NodeRuntime runtime)) {
            return new StatusDocument(MemberEntry.of(self, self.id()), members);
        }
        Map<NodeId, String> names = new HashMap<>();
        known.forEach(member -> names.put(member.id(), member.name()));
        Routes routes = runtime.routes();
        List<ClusterEntry> clusters = routes.clusters().entrySet().stream()
                .map(cluster -> new ClusterEntry(cluster.getKey(), cluster.getValue().stream()
                        .map(route -> new NodeRef(route.node().toHex(), nameOf(route.node(), names), route.address().toString()))
                        .toList()))
                .toList();
        List<TopicEntry> topics = routes.subscriptions().entrySet().stream()
                .map(topic -> new TopicEntry(topic.getKey(), topic.getValue().stream()
                        .map(id -> new NodeRef(id.toHex(), nameOf(id, names),
                                routes.addressOf(id).map(Object::toString).orElse("?")))
                        .toList()))
                .toList();
        return new StatusDocument(MemberEntry.of(self, self.id()), members, clusters, topics);
    }

    private static String nameOf(NodeId id, Map<NodeId, String> names) {
        return names.getOrDefault(id, id.toString());
    }

    /** This document as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status document", e);
        }
    }

    /**
     * Reads a document written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when {@code json} is not a status document
     */
    public static StatusDocument fromJson(String json) {
        try {
            StatusDocument document = JSON.readValue(json, StatusDocument.class);
            if (document == null) {
                throw new IllegalArgumentException("not a status document: empty");
            }
            return document;
        } catch (JsonProcessingException e) {
            // A missing field surfaces here too: the record's constructor rejects nulls.
            throw new IllegalArgumentException("not a status document: " + e.getOriginalMessage(), e);
        }
    }
}
