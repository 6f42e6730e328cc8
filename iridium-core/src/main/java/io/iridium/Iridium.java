package io.iridium;

import io.iridium.runtime.NodeRuntime;

/**
 * The entry point: starts embedded nodes.
 *
 * <pre>{@code
 * try (Node node = Iridium.start(Config.builder().dev(true).build())) {
 *     node.onMembershipChange(event -> System.out.println(event));
 *     ...
 * }
 * }</pre>
 */
public final class Iridium {

    private Iridium() {}

    /**
     * Starts a node: binds its port, begins discovery and joins the network.
     *
     * @throws IllegalArgumentException for a bad configuration (an unreadable key, say)
     * @throws java.io.UncheckedIOException when the address cannot be bound
     */
    public static Node start(Config config) {
        return NodeRuntime.start(config);
    }
}
