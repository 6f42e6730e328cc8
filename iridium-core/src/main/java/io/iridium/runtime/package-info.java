/**
 * The node runtime: drives the sans-I/O protocol cores (SWIM, discovery) from a Netty event loop,
 * with sealed membership datagrams and TLS data-plane connections sharing one port.
 */
package io.iridium.runtime;
