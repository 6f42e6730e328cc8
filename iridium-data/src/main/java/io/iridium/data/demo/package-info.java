/**
 * Runnable scenarios of replicated data, shared by {@code iridium demo} and the benchmarks: the
 * ad-impression counter that compares a CRDT counter with a last-writer-wins register and an
 * uncoordinated read-modify-write counter under concurrency, a partition and skewed clocks.
 */
package io.iridium.data.demo;
