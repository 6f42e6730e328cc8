package io.iridium.cli;

import io.iridium.ServiceHandler;
import io.iridium.relay.client.IrisServiceHandler;
import io.iridium.relay.client.IrisTunnel;

/**
 * Serves a cluster through a relay with a node {@link ServiceHandler} ({@link EchoService},
 * {@link ExecService}): the same handler, whether {@code iridium serve} joined the network itself
 * or attached to a local node's relay.
 */
final class RelayServiceHandler implements IrisServiceHandler {
    private final ServiceHandler handler;

    RelayServiceHandler(ServiceHandler handler) {
        this.handler = handler;
    }

    @Override
    public void handleBroadcast(byte[] message) {
        handler.handleBroadcast(message);
    }

    @Override
    public byte[] handleRequest(byte[] request) throws Exception {
        return handler.handleRequest(request);
    }

    @Override
    public void handleTunnel(IrisTunnel tunnel) {
        handler.handleTunnel(new RelayTunnel(tunnel));
    }

    @Override
    public void handleDrop(Throwable reason) {
        handler.handleDrop(reason);
    }
}
