/**
 * Runs {@link io.iridium.membership.Swim} in the simulator: {@link
 * io.iridium.testkit.sim.membership.SwimCluster} builds nodes that each host one unchanged
 * {@code Swim} core, records every membership event with the ground truth at that instant, and
 * checks convergence (all running nodes agree on the running set) and the absence of false
 * failure verdicts.
 */
package io.iridium.testkit.sim.membership;
