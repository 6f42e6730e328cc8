/** Discovery and SWIM running together, unchanged, in the deterministic simulator. */
package io.iridium.testkit.sim.discovery;
