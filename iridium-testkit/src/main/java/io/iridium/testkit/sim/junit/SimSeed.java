package io.iridium.testkit.sim.junit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of one simulation run.
 *
 * @param value the seed; {@code -Diridium.seed=value} replays the run
 */
public record SimSeed(long value) {

    /** The system property that fixes the seed. */
    public static final String PROPERTY = "iridium.seed";

    /**
     * The seed from {@code -Diridium.seed=N} when set, otherwise a fresh random one (the only
     * unseeded draw in a simulated test: it chooses the seed, and the seed is always reported).
     *
     * @throws IllegalArgumentException when the property is set but is not a long
     */
    public static SimSeed fromSystemProperty() {
        String text = System.getProperty(PROPERTY);
        if (text == null || text.isBlank()) {
            return new SimSeed(ThreadLocalRandom.current().nextLong());
        }
        try {
            return new SimSeed(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a long, got: " + text, e);
        }
    }

    /** {@code Replay with -Diridium.seed=N}. */
    public String replayHint() {
        return "Replay with -D" + PROPERTY + "=" + value;
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
