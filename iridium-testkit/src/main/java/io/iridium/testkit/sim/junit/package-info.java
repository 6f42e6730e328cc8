/**
 * Seeds for simulation tests: {@link io.iridium.testkit.sim.junit.SimSeed} takes the seed from
 * {@code -Diridium.seed=N} or draws a fresh one, and
 * {@link io.iridium.testkit.sim.junit.SimSeedExtension} injects it into test methods and, when a
 * test fails, prints {@code Replay with -Diridium.seed=N} and puts it in the failure message.
 */
package io.iridium.testkit.sim.junit;
