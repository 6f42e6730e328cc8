package io.iridium.discovery;

import io.iridium.env.Environment;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Virtual time and one seeded random source. The seed is {@code -Diridium.seed=N} when given,
 * else drawn per test and printed by {@link SeedReporter} when the test fails.
 */
final class FakeEnvironment implements Environment {

    final long seed;
    private final SplittableRandom random;
    private long now;

    FakeEnvironment(long seed, long startMillis) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.now = startMillis;
    }

    static long seedFromProperty() {
        return Long.getLong("iridium.seed", System.nanoTime());
    }

    void advance(long millis) {
        now += millis;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }
}
