package io.iridium.data.replication;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key's replicated value in transit or at rest: the key, the name of its
 * {@link ReplicatedType}, and the type's canonical encoding of a full state or a delta.
 *
 * @param key   the key
 * @param type  the {@link ReplicatedType#name()} of the value
 * @param state the encoded state or delta
 */
public record KeyState(String key, String type, byte[] state) {

    /** Validates the record. */
    public KeyState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyState other && key.equals(other.key) && type.equals(other.type)
                && Arrays.equals(state, other.state);
    }

    @Override
    public int hashCode() {
        return (key.hashCode() * 31 + type.hashCode()) * 31 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return key + ":" + type + "(" + state.length + "B)";
    }
}
