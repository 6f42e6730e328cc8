/**
 * The relay benchmark ({@link io.iridium.relay.bench.RelayBenchmark}, run by {@code bin/bench-relay}):
 * Iris's own binding workloads through an Iridium node's relay with the Java client, beside the
 * figures Iris reports for its reference relay.
 */
package io.iridium.relay.bench;
