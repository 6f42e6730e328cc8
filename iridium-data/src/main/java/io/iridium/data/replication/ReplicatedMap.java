package io.iridium.data.replication;

import io.iridium.data.crdt.LwwMap;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated map from strings to strings, last writer wins per entry ({@link LwwMap}).
 * Removals leave a timestamped tombstone so that an older put cannot bring the entry back.
 */
public final class ReplicatedMap {

    private final Replicated<LwwMap<String, String>> handle;

    ReplicatedMap(Replicated<LwwMap<String, String>> handle) {
        this.handle = handle;
    }

    /** The local value of {@code key}. */
    public Optional<String> get(String key) {
        return handle.get().get(key);
    }

    /** The local entries. */
    public Map<String, String> asMap() {
        return handle.get().asMap();
    }

    /** The entries at {@code consistency}. */
    public CompletableFuture<Map<String, String>> asMap(Consistency consistency, Duration timeout) {
        return handle.read(consistency, timeout).thenApply(LwwMap::asMap);
    }

    /** Puts {@code key → value} locally. */
    public void put(String key, String value) {
        handle.update((map, ctx) -> map.put(ctx.replica(), ctx.timestamp(), key, value));
    }

    /** Puts {@code key → value} at {@code consistency}. */
    public CompletableFuture<Map<String, String>> put(String key, String value, Consistency consistency, Duration timeout) {
        return handle.update((map, ctx) -> map.put(ctx.replica(), ctx.timestamp(), key, value), consistency, timeout)
                .thenApply(LwwMap::asMap);
    }

    /** Removes {@code key} locally. */
    public void remove(String key) {
        handle.update((map, ctx) -> map.remove(ctx.replica(), ctx.timestamp(), key));
    }

    /** The generic handle. */
    public Replicated<LwwMap<String, String>> handle() {
        return handle;
    }
}
