package io.iridium.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iridium.Member;
import io.iridium.Node;
import io.iridium.NodeId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The JSON document served at {@code GET /status} and read back by {@code iridium status}.
 *
 * <pre>{@code
 * {
 *   "self":    { "id": "9f1c...32 hex", "name": "node-a", "address": "127.0.0.1:7946",
 *                "state": "ALIVE", "incarnation": 0, "self": true },
 *   "members": [ { ...the same fields... }, ... ]
 * }
 * }</pre>
 *
 * <p>{@code members} lists every member the node knows of, itself included, ordered by name then
 * id; {@code state} is one of {@code ALIVE}, {@code SUSPECT}, {@code DEAD}, {@code LEFT}. Readers
 * ignore fields they do not know, so later versions may add fields.
 *
 * @param self    the serving node
 * @param members every known member, the serving node included
 */
public record StatusDocument(MemberEntry self, List<MemberEntry> members) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public StatusDocument {
        Objects.requireNonNull(self, "self");
        members = List.copyOf(members);
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

    /** A snapshot of {@code node}'s view of the membership. */
    public static StatusDocument of(Node node) {
        Member self = node.self();
        List<MemberEntry> members = node.members().stream()
                .sorted(Comparator.comparing(Member::name).thenComparing(Member::id))
                .map(member -> MemberEntry.of(member, self.id()))
                .toList();
        return new StatusDocument(MemberEntry.of(self, self.id()), members);
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
