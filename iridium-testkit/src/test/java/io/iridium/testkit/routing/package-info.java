/**
 * Simulator tests of the routing registry: every node runs the real SWIM core and a
 * {@link io.iridium.routing.Registry}, wired as the runtime wires them
 * ({@link io.iridium.testkit.routing.RegistryCluster}), over the simulated lossy network of
 * {@link io.iridium.testkit.sim}; the checks compare every node's routes with the ground truth of
 * who runs and what each published.
 */
package io.iridium.testkit.routing;
