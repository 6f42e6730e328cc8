package io.iridium.cli.demo;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.NodeId;
import io.iridium.runtime.NodeRuntime;
import java.util.List;

/**
 * One node of the demonstration: its short name (node-1, node-2, ...) and its runtime, which the
 * crash act stops abruptly. Its identity and address are read once at start, so that they can
 * still be shown after the node is gone.
 */
final class DemoNode {

    private final String name;
    private final NodeRuntime runtime;
    private final NodeId id;
    private final Endpoint address;
    private volatile boolean crashed;

    DemoNode(String name, NodeRuntime runtime) {
        this.name = name;
        this.runtime = runtime;
        this.id = runtime.self().id();
        this.address = runtime.address();
    }

    String name() {
        return name;
    }

    NodeRuntime runtime() {
        return runtime;
    }

    NodeId id() {
        return id;
    }

    Endpoint address() {
        return address;
    }

    boolean crashed() {
        return crashed;
    }

    /** The members this node counts as part of the network: alive or suspected, itself included. */
    List<Member> liveView() {
        return runtime.members().stream().filter(member -> member.state().isLive()).toList();
    }

    /** Stops the node as a crash would: no goodbye. */
    void crash() {
        crashed = true;
        runtime.crash();
    }

    @Override
    public String toString() {
        return name;
    }
}
