package io.iridium.cli.consensus;

import io.iridium.consensus.group.GroupProtocol.AdminOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code iridium raft status|add|remove|transfer GROUP [MEMBER]}: administers a Raft group.
 * Members are named by their nodes' {@code --name}. {@code add} makes the member a learner,
 * then promotes it to voter once it has caught up; start that member first with
 * {@code iridium node --name NAME --raft GROUP --raft-members ...} (its name not in the list).
 */
@Command(name = "raft", mixinStandardHelpOptions = true, header = "Shows and changes a Raft group's membership.",
        subcommands = {RaftCommand.Status.class, RaftCommand.Add.class, RaftCommand.Remove.class,
            RaftCommand.Transfer.class})
public final class RaftCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    private static int run(CommandSpec spec, GroupConnection connection, String group, AdminOperation op, String member)
            throws Exception {
        connection.group(group);
        return connection.run(spec, s -> {
            spec.commandLine().getOut().println(s.client().admin(op, member));
            spec.commandLine().getOut().flush();
            return 0;
        });
    }

    /** {@code raft status GROUP}. */
    @Command(name = "status", mixinStandardHelpOptions = true, header = "Shows a group as one of its members sees it.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Override
        public Integer call() throws Exception {
            return run(spec, connection, group, AdminOperation.STATUS, "");
        }
    }

    /** {@code raft add GROUP MEMBER}. */
    @Command(name = "add", mixinStandardHelpOptions = true, header = "Adds a member (learner first, then voter).")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;
        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Override
        public Integer call() throws Exception {
            return run(spec, connection, group, AdminOperation.ADD, member);
        }
    }

    /** {@code raft remove GROUP MEMBER}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, header = "Removes a member.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;
        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Override
        public Integer call() throws Exception {
            return run(spec, connection, group, AdminOperation.REMOVE, member);
        }
    }

    /** {@code raft transfer GROUP MEMBER}. */
    @Command(name = "transfer", mixinStandardHelpOptions = true, header = "Hands leadership to a member.")
    static final class Transfer implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        GroupConnection connection;
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;
        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Override
        public Integer call() throws Exception {
            return run(spec, connection, group, AdminOperation.TRANSFER, member);
        }
    }
}
