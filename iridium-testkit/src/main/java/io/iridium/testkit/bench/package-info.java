/**
 * Benchmarks that run in the simulator, in virtual time: their figures depend on the protocol
 * and the simulated network, not on the machine that runs them.
 */
package io.iridium.testkit.bench;
