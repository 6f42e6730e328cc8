package io.iridium.discovery;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the seed of a failed test, so {@code -Diridium.seed=N} replays it. */
final class SeedReporter implements TestWatcher {

    long seed = FakeEnvironment.seedFromProperty();

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println(context.getDisplayName() + " failed with seed " + seed
                + "; replay with -Diridium.seed=" + seed);
    }
}
