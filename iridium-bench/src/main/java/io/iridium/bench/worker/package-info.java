/**
 * The side of a benchmark that runs inside a spawned JVM: {@link io.iridium.bench.worker.Worker}
 * is the child process's entry point. It speaks a line protocol with the harness over its
 * standard streams ({@link io.iridium.bench.worker.Control}) and drives one system through the
 * {@link io.iridium.bench.worker.Fabric} interface, implemented for Iridium, NATS and ZeroMQ; the
 * tunnel workload compares an Iridium tunnel with a raw TLS socket in the same pair of JVMs.
 */
package io.iridium.bench.worker;
