/**
 * Side-by-side benchmarks: the same workloads run against Iridium and against the systems a user
 * would pick instead (NATS, ZeroMQ), reported as medians and ratios.
 */
package io.iridium.bench;
