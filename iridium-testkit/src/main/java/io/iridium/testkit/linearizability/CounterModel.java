package io.iridium.testkit.linearizability;

import java.util.Objects;
import java.util.Optional;

/**
 * Named counters with add-and-get and read, partitioned by name. The state of one partition is
 * the counter's value, starting at zero. An add that was applied twice (a retried command with no
 * exactly-once session) shows up as a value no ordering of the history explains.
 */
public final class CounterModel implements Model<Long, CounterModel.Op, Long> {

    /** The model; it is stateless. */
    public static final CounterModel INSTANCE = new CounterModel();

    private CounterModel() {
    }

    /** An operation on one counter. */
    public sealed interface Op permits Add, Read {
        /**
         * The counter it touches.
         *
         * @return the counter's name
         */
        String counter();
    }

    /**
     * Adds {@code delta} and returns the new value.
     *
     * @param counter the counter
     * @param delta   the amount
     */
    public record Add(String counter, long delta) implements Op {
        /** Validates the field. */
        public Add {
            Objects.requireNonNull(counter, "counter");
        }
    }

    /**
     * Returns the value.
     *
     * @param counter the counter
     */
    public record Read(String counter) implements Op {
        /** Validates the field. */
        public Read {
            Objects.requireNonNull(counter, "counter");
        }
    }

    @Override
    public Long initial() {
        return 0L;
    }

    @Override
    public Optional<Long> step(Long state, Op input, Long output) {
        long next = switch (input) {
            case Add add -> state + add.delta();
            case Read read -> state;
        };
        return output == null || output == next ? Optional.of(next) : Optional.empty();
    }

    @Override
    public Object partition(Op input) {
        return input.counter();
    }
}
