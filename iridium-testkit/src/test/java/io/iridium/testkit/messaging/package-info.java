/**
 * Simulator tests of the request lifecycle: every node runs the real SWIM core, a routing
 * {@link io.iridium.routing.Registry} and a {@link io.iridium.messaging.RequestCore}, with request
 * and reply frames carried as bytes over the simulated lossy, partitionable network of
 * {@link io.iridium.testkit.sim}; the checks are at-most-once execution and exactly one typed
 * completion per request.
 */
package io.iridium.testkit.messaging;
