package io.iridium.relay.server;

/**
 * The fault a relay service answered a request with: thrown from the node service's handler so the
 * requester gets {@link io.iridium.IridiumException.Remote} carrying the same text.
 */
final class RelayServiceFault extends Exception {
    private static final long serialVersionUID = 1L;

    RelayServiceFault(String fault) {
        super(fault, null, false, false);
    }
}
