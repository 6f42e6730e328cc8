package io.iridium.testkit.sim;

/**
 * Installs a node's protocol cores. Called when the node starts and again, with a fresh
 * context and a new identity, each time it restarts after a crash: everything a setup creates
 * is the node's volatile state and is lost on a crash.
 */
@FunctionalInterface
public interface NodeSetup {

    void install(NodeContext context);
}
