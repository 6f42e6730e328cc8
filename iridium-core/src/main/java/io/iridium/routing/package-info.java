/**
 * The routing registry: which node serves which cluster and subscribes to which topic patterns,
 * gossiped between nodes and converging on one view, as a sans-I/O protocol core.
 *
 * <p>{@link io.iridium.routing.Registry} is the entry point: a driver (the node runtime or the
 * simulator in {@code iridium-testkit}) calls {@code tick()} on a timer, {@code receive(...)}
 * for every decoded datagram, {@code memberUp}/{@code memberDown} as membership changes and
 * {@code publishLocal} when the node's services or subscriptions change, and transmits what the
 * core puts into its {@link io.iridium.env.Outbox}. {@link io.iridium.routing.RegistryCodec}
 * turns {@link io.iridium.routing.RegistryMessage}s into datagram payloads and back, validating
 * every field. {@link io.iridium.routing.Registry#routes()} hands out immutable
 * {@link io.iridium.routing.Routes} snapshots that request routing and publishing read from any
 * thread.
 *
 * <p>Each node owns one versioned {@link io.iridium.routing.Advertisement}; merge keeps the
 * highest version per owner (so replicas converge whatever the order, loss or duplication of
 * messages); changes spread by eager push and forwarding, and anti-entropy digest exchanges
 * repair what pushes miss. {@link io.iridium.routing.Subjects} defines the NATS grammar of
 * subjects, patterns and cluster names; {@link io.iridium.routing.TopicTrie} matches subjects
 * against patterns with a token trie. Nothing in this package does I/O, reads a clock, or
 * creates randomness of its own.
 */
package io.iridium.routing;
