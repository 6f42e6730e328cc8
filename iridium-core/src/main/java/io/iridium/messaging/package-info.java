/**
 * Iridium's messaging layer: requests, broadcasts, publish/subscribe and tunnels addressed by
 * cluster name, with the contract of the design's §2 — load balancing by power of two choices,
 * transparent retry of requests refused before they ran, typed failures, and per-service and
 * per-subscription limits enforced on virtual threads. Routing decisions come from the
 * registry's snapshot ({@link io.iridium.messaging.RouteTable}); frames travel over the
 * authenticated data plane ({@link io.iridium.messaging.FrameSender}).
 */
package io.iridium.messaging;
