package io.iridium.data.replication;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage for a replica's states, one record per key. {@link ReplicaCore} saves a key
 * before it acknowledges a write of it (a {@link Consistency#MAJORITY} or
 * {@link Consistency#ALL} acknowledgement therefore survives a crash of the acknowledging
 * process), and saves keys changed by local writes and gossip at its next tick. On start it
 * loads everything and carries on from there under a new replica identity (a restarted process
 * is a new replica, so it never reuses a dot of its former self).
 */
public interface ReplicaStorage {

    /** Every saved state. */
    Collection<KeyState> load();

    /** Saves {@code state}, replacing the key's previous record, durably, before returning. */
    void save(KeyState state);

    /** The replica set as last saved by {@link #saveKnownReplicas}; empty when never saved. */
    default Optional<KnownReplicas> loadKnownReplicas() {
        return Optional.empty();
    }

    /**
     * Saves the replica set this replica has known (which MAJORITY and ALL count), durably,
     * replacing the previous one. Storage that keeps nothing ignores it.
     */
    default void saveKnownReplicas(KnownReplicas replicas) {
        // Nothing is kept by default.
    }

    /** Storage that keeps nothing: a restarted replica starts empty and refills by anti-entropy. */
    static ReplicaStorage none() {
        return new ReplicaStorage() {
            @Override
            public Collection<KeyState> load() {
                return List.of();
            }

            @Override
            public void save(KeyState state) {
                // Nothing is kept.
            }
        };
    }
}
