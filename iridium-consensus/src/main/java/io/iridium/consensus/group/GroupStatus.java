package io.iridium.consensus.group;

import io.iridium.consensus.raft.Role;

import java.util.List;
import java.util.Optional;

/**
 * One member's view of its group, for status pages and the CLI.
 *
 * @param cluster  the group's cluster name
 * @param member   this member's name
 * @param role     its Raft role
 * @param term     its term
 * @param leader   the leader's name, when known
 * @param commit   its commit index
 * @param applied  its applied index
 * @param voters   the voters' names (a hex id when a name is not known)
 * @param learners the learners' names
 * @param revision the KV store's revision at this member
 */
public record GroupStatus(String cluster, String member, Role role, long term, Optional<String> leader, long commit,
                          long applied, List<String> voters, List<String> learners, long revision) {

    /** Copies the lists. */
    public GroupStatus {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
    }

    /**
     * A few lines for people.
     *
     * @return the description
     */
    public String describe() {
        return "group " + cluster + " at member " + member + "\n"
                + "  role     " + role + " (term " + term + ")\n"
                + "  leader   " + leader.orElse("(none known)") + "\n"
                + "  voters   " + String.join(", ", voters) + "\n"
                + "  learners " + (learners.isEmpty() ? "(none)" : String.join(", ", learners)) + "\n"
                + "  commit   " + commit + ", applied " + applied + ", KV revision " + revision;
    }
}
