/**
 * Raft groups on the fabric: {@link io.iridium.consensus.group.RaftGroup} runs one member (the
 * runtime adapter around the sans-I/O {@link io.iridium.consensus.raft.RaftNode}, with durable
 * {@link io.iridium.consensus.log.DiskStorage} and the replicated
 * {@link io.iridium.consensus.machine.GroupStateMachine}); {@link io.iridium.consensus.group.GroupClient}
 * is a client session from any node.
 *
 * <p>A group is a cluster: its members register the group's cluster name, and clients send to
 * that name. Members are identified by their nodes' stable names ({@link
 * io.iridium.consensus.group.MemberIds}), resolved to the node currently serving under each name,
 * so a member that restarts (with a new node id) keeps its votes and log. Membership is explicit:
 * bootstrapped from a list of names and changed only through the log, never from gossip.
 * {@link io.iridium.consensus.group.GroupProtocol} is the wire format.
 */
package io.iridium.consensus.group;
