/**
 * A Java client of the Iris relay protocol (v1.0-draft2) with Iris's connection API:
 * {@link io.iridium.relay.client.IrisConnection#connect connect} as a plain client or
 * {@link io.iridium.relay.client.IrisConnection#register register} as a service of a cluster, then
 * request, broadcast, publish, subscribe and tunnel through a local node's relay.
 */
package io.iridium.relay.client;
