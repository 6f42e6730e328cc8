package io.iridium.messaging;

import io.iridium.Endpoint;
import io.iridium.NodeId;

/**
 * A node that messages can be routed to: its identity and where it listens.
 *
 * @param id      the node
 * @param address its data-plane address
 */
public record Target(NodeId id, Endpoint address) {}
