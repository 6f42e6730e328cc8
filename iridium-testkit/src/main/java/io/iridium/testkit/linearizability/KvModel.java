package io.iridium.testkit.linearizability;

import java.util.Objects;
import java.util.Optional;

/**
 * A key-value store as a map of independent registers: get, put and compare-and-set, partitioned
 * by key. The state of one partition is the key's value ({@code Optional.empty()} when absent).
 */
public final class KvModel implements Model<Optional<String>, KvModel.Op, KvModel.Result> {

    /** The model; it is stateless. */
    public static final KvModel INSTANCE = new KvModel();

    private KvModel() {
    }

    /** An operation on one key. */
    public sealed interface Op permits Get, Put, Cas {
        /**
         * The key it touches.
         *
         * @return the key
         */
        String key();
    }

    /**
     * Reads a key.
     *
     * @param key the key
     */
    public record Get(String key) implements Op {
    }

    /**
     * Writes a key.
     *
     * @param key   the key
     * @param value the new value
     */
    public record Put(String key, String value) implements Op {
    }

    /**
     * Writes {@code value} if the key holds {@code expected} ({@code null}: is absent).
     *
     * @param key      the key
     * @param expected the value required
     * @param value    the new value
     */
    public record Cas(String key, String expected, String value) implements Op {
    }

    /** What an operation returned. */
    public sealed interface Result permits Value, Written, Swapped {
    }

    /**
     * A get's answer.
     *
     * @param value the value read, or {@code null} when absent
     */
    public record Value(String value) implements Result {
    }

    /** A put's acknowledgement. */
    public record Written() implements Result {
    }

    /**
     * A compare-and-set's answer.
     *
     * @param swapped whether the value matched and was replaced
     */
    public record Swapped(boolean swapped) implements Result {
    }

    @Override
    public Optional<String> initial() {
        return Optional.empty();
    }

    @Override
    public Optional<Optional<String>> step(Optional<String> state, Op input, Result output) {
        return switch (input) {
            case Get get -> output == null || (output instanceof Value v && Objects.equals(v.value(), state.orElse(null)))
                    ? Optional.of(state) : Optional.empty();
            case Put put -> output == null || output instanceof Written
                    ? Optional.of(Optional.of(put.value())) : Optional.empty();
            case Cas cas -> {
                boolean matches = Objects.equals(cas.expected(), state.orElse(null));
                if (output != null && !(output instanceof Swapped s && s.swapped() == matches)) {
                    yield Optional.empty();
                }
                yield Optional.of(matches ? Optional.of(cas.value()) : state);
            }
        };
    }

    @Override
    public Object partition(Op input) {
        return input.key();
    }
}
