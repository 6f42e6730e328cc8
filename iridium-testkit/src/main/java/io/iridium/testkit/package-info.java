/**
 * Iridium's test kit: a deterministic simulator for sans-I/O protocol cores
 * ({@link io.iridium.testkit.sim}), harnesses and checkers for particular protocols, and
 * simulated benchmarks ({@link io.iridium.testkit.bench}).
 */
package io.iridium.testkit;
