/**
 * The consensus commands of the {@code iridium} program: {@code kv}, {@code lock} and
 * {@code raft} talk to a Raft group from a short-lived node, and {@link
 * io.iridium.cli.consensus.RaftNodeOptions} lets {@code iridium node} run a member of a group
 * ({@code --raft GROUP --raft-members A,B,C --data-dir DIR}).
 */
package io.iridium.cli.consensus;
