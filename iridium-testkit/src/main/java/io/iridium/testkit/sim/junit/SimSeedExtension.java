package io.iridium.testkit.sim.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension for simulation tests: resolves a {@link SimSeed} parameter (one seed per
 * test, from {@code -Diridium.seed} or fresh) and, when the test fails, prints
 * {@code Replay with -Diridium.seed=N} to standard error and rethrows the failure as an
 * {@link AssertionError} whose message starts with that hint (the original is its cause).
 *
 * <pre>{@code
 * @ExtendWith(SimSeedExtension.class)
 * class SwimSimTest {
 *     @Test void crashedNode_isFailedByAll(SimSeed seed) { var sim = new Simulation(seed.value()); ... }
 * }
 * }</pre>
 */
public final class SimSeedExtension implements ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SimSeedExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SimSeed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return seedOf(context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        SimSeed seed = seedOf(context);
        String hint = seed.replayHint();
        System.err.println(context.getDisplayName() + " failed. " + hint);
        if (failure.getMessage() != null && failure.getMessage().startsWith(hint)) {
            throw failure;
        }
        AssertionError withHint = new AssertionError(hint + " — " + failure, failure);
        throw withHint;
    }

    private static SimSeed seedOf(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("seed", key -> SimSeed.fromSystemProperty(), SimSeed.class);
    }
}
