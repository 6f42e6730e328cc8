package io.iridium.data.crdt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The reference model of observed-remove semantics, for every causal CRDT: each add gets a
 * unique tag and supersedes the tags of the same payload its replica sees; a remove names the
 * tags visible at its replica when it ran; a payload is present in the end if some tag of it was
 * neither removed nor superseded by an operation that had observed it. A replica's view
 * holds the events delivered to it, the same deliveries as its CRDT replica.
 */
final class TagModel {

    /** What one operation added and removed. */
    record Event(Map<Long, String> added, Set<Long> removed) {
    }

    private final List<Map<Long, String>> adds = new ArrayList<>();
    private final List<Set<Long>> removes = new ArrayList<>();
    private final Map<Long, String> allAdds = new HashMap<>();
    private final Set<Long> allRemoves = new HashSet<>();
    private long nextTag;

    TagModel(int replicas) {
        for (int i = 0; i < replicas; i++) {
            adds.add(new HashMap<>());
            removes.add(new HashSet<>());
        }
    }

    /** The tags visible at {@code replica} and their payloads. */
    Map<Long, String> visible(int replica) {
        Map<Long, String> view = new HashMap<>(adds.get(replica));
        view.keySet().removeAll(removes.get(replica));
        return view;
    }

    /**
     * An add of {@code payload} at {@code replica} under a fresh tag. It supersedes the tags of
     * the same payload visible there: they are in its causal past, so a later remove that sees
     * this add has seen them too (the delta's context says so).
     */
    Event add(int replica, String payload) {
        return new Event(Map.of(nextTag++, payload), remove(replica, payload::equals).removed());
    }

    /** A remove of the tags visible at {@code replica} whose payload matches. */
    Event remove(int replica, Predicate<String> which) {
        Set<Long> observed = new HashSet<>();
        visible(replica).forEach((tag, payload) -> {
            if (which.test(payload)) {
                observed.add(tag);
            }
        });
        return new Event(Map.of(), observed);
    }

    /** A write that replaces everything visible at {@code replica} with {@code payload}. */
    Event replace(int replica, String payload) {
        return replace(replica, p -> true, payload);
    }

    /** A write that replaces the payloads visible at {@code replica} that match {@code which}. */
    Event replace(int replica, Predicate<String> which, String payload) {
        return new Event(Map.of(nextTag++, payload), remove(replica, which).removed());
    }

    void deliver(int replica, Object event) {
        Event e = (Event) event;
        adds.get(replica).putAll(e.added());
        removes.get(replica).addAll(e.removed());
        allAdds.putAll(e.added());
        allRemoves.addAll(e.removed());
    }

    /** The payloads present once every replica has seen every event. */
    Set<String> finalPayloads() {
        Set<String> present = new HashSet<>();
        allAdds.forEach((tag, payload) -> {
            if (!allRemoves.contains(tag)) {
                present.add(payload);
            }
        });
        return present;
    }
}
