/**
 * JMH micro-benchmarks of Iridium's hot paths, run by {@link io.iridium.bench.jmh.MicroBenchmarks}
 * with the GC profiler (B/op). Benchmarks of package-private parts live in those parts' packages
 * in this module ({@code io.iridium.wire.FrameCodecBenchmark},
 * {@code io.iridium.messaging.BalancerBenchmark}).
 */
package io.iridium.bench.jmh;
