/**
 * The data plane's transport on Netty: TLS 1.3 connections authenticated by the network key,
 * opened on demand, one per pair of nodes, with bounded queues, batched writes and idle close,
 * on event loops that poll briefly before they sleep.
 * Netty appears here and in the runtime, nowhere in the protocol cores.
 */
package io.iridium.transport;
