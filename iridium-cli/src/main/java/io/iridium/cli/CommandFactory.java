package io.iridium.cli;

import picocli.CommandLine;

/**
 * Creates the command objects of the tree, handing {@link Stdio} to the commands that read and
 * write raw bytes; every other class is created as picocli would.
 */
final class CommandFactory implements CommandLine.IFactory {

    private final Stdio stdio;

    CommandFactory(Stdio stdio) {
        this.stdio = stdio;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == TunnelCommand.class) {
            return type.cast(new TunnelCommand(stdio));
        }
        return CommandLine.defaultFactory().create(type);
    }
}
