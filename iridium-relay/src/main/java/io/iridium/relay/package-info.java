/**
 * Iris's relay protocol (v1.0-draft2) on an Iridium node: a server that lets programs written
 * against the Iris bindings attach to a local node over a loopback socket, and a Java client
 * for the same protocol.
 */
package io.iridium.relay;
