package io.iridium.testkit.sim;

import io.iridium.Endpoint;

/**
 * Receives the payload of a datagram sent to one channel of a node. A checked exception means
 * the payload was rejected as malformed: the simulator counts and traces it and goes on. An
 * unchecked exception is a bug and stops the simulation.
 */
@FunctionalInterface
public interface DatagramHandler {

    void receive(Endpoint from, byte[] payload) throws Exception;
}
