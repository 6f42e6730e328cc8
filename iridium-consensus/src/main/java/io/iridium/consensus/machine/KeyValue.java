package io.iridium.consensus.machine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key of the KV store as a read returns it, etcd-style.
 *
 * @param key            the key
 * @param value          its value; not copied, callers must not mutate it
 * @param createRevision the store revision of the write that created the key
 * @param modRevision    the store revision of the last write to the key
 * @param version        how many times the key was written since it was created (1 after creation)
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    /** Validates the fields. */
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The value as UTF-8 text.
     *
     * @return the decoded value
     */
    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value)
                && createRevision == kv.createRevision && modRevision == kv.modRevision && version == kv.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        return key + "=" + valueText() + "@" + modRevision;
    }
}
