package io.iridium.testkit.linearizability;

import java.util.Optional;

/**
 * A sequential specification: what one operation does to the state and what it may return.
 *
 * <p>States must be immutable values with {@code equals} and {@code hashCode}: the checker
 * memoizes the states it has seen.
 *
 * @param <S> the state
 * @param <I> an operation's input
 * @param <O> an operation's output
 */
public interface Model<S, I, O> {

    /**
     * The state before any operation.
     *
     * @return the initial state
     */
    S initial();

    /**
     * Applies {@code input} to {@code state}.
     *
     * @param state  the state before the operation
     * @param input  the operation
     * @param output what the operation returned, or {@code null} when unknown (an info
     *               operation), in which case any output is acceptable
     * @return the next state when {@code output} is what the specification allows, else empty
     */
    Optional<S> step(S state, I input, O output);

    /**
     * The independent part of the state {@code input} touches (for example its key). Operations in
     * different partitions commute, so each partition is checked on its own, which keeps the
     * search small. The default puts everything in one partition.
     *
     * @param input the operation
     * @return its partition's key
     */
    default Object partition(I input) {
        return "";
    }
}
