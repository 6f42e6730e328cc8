package io.iridium.runtime;

import io.iridium.env.Environment;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The runtime's {@link Environment}: a monotonic millisecond clock (from {@link System#nanoTime()},
 * so it never runs backwards when the wall clock is adjusted) and a fast random generator seeded
 * from {@link SecureRandom}. Used only on the protocol loop's thread.
 */
final class WallClockEnvironment implements Environment {
    private final long originNanos = System.nanoTime();
    private final long originMillis = System.currentTimeMillis();
    private final RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());

    @Override
    public long nowMillis() {
        return originMillis + (System.nanoTime() - originNanos) / 1_000_000L;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }
}
