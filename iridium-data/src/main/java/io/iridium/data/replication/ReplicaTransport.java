package io.iridium.data.replication;

import io.iridium.data.ReplicaId;

/**
 * Where a {@link ReplicaCore} puts the messages it originates; the driver encodes and carries
 * them. Replies are not sent through here: {@link ReplicaCore#receive} returns them, so that a
 * driver built on request/response ({@code node.requestAsync}) answers in the response and a
 * datagram driver (the simulator) sends them back to the sender.
 *
 * <p>Delivery is never guaranteed, and the core assumes nothing: lost deltas are healed by
 * anti-entropy, lost writes and reads are retried until their timeout.
 */
public interface ReplicaTransport {

    /** Sends {@code deltas} to every other replica of the set. Never blocks. */
    void broadcast(ReplicaMessage.Deltas deltas);

    /** Sends {@code message} (a digest, push, write or read) to replica {@code to}. Never blocks. */
    void send(ReplicaId to, ReplicaMessage message);
}
