/**
 * Iridium's public API: start a node with {@link io.iridium.Iridium#start(io.iridium.Config)},
 * watch the membership of its network, and (in later versions) send requests, broadcasts,
 * publications and tunnels addressed by cluster name.
 */
package io.iridium;
