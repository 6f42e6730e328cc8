package io.iridium.data.clock;

/**
 * How two logical clock values relate in the happened-before partial order.
 *
 * <p>The result of {@code a.compare(b)}: it is {@link #BEFORE} exactly when {@code b.compare(a)}
 * is {@link #AFTER}; {@link #EQUAL} and {@link #CONCURRENT} are symmetric.
 */
public enum ClockOrder {
    /** The left value happened before the right one: every entry is at most, one strictly less. */
    BEFORE,
    /** The left value happened after the right one. */
    AFTER,
    /** The two values are identical. */
    EQUAL,
    /** Neither happened before the other: each has seen an event the other has not. */
    CONCURRENT;

    /** The order seen from the other side: BEFORE and AFTER swap, the others stay. */
    public ClockOrder reversed() {
        return switch (this) {
            case BEFORE -> AFTER;
            case AFTER -> BEFORE;
            case EQUAL, CONCURRENT -> this;
        };
    }
}
