package io.iridium.runtime;

import io.iridium.Config;
import io.iridium.Node;

/** Runs a node on Netty: wires the protocol cores to sockets and timers. (Being written.) */
public final class NodeRuntime {

    private NodeRuntime() {}

    public static Node start(Config config) {
        throw new UnsupportedOperationException("the runtime is being written in this session");
    }
}
