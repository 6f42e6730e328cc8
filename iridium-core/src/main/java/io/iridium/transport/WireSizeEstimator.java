package io.iridium.transport;

import io.iridium.wire.WireMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.MessageSizeEstimator;

/**
 * Tells Netty how many bytes a queued {@link WireMessage} will take on the wire, so that its
 * write-buffer water marks (and with them back-pressure) count records as well as buffers. The
 * estimate is the payload plus a small fixed overhead: exact enough for bounding memory.
 */
final class WireSizeEstimator implements MessageSizeEstimator, MessageSizeEstimator.Handle {
    static final WireSizeEstimator INSTANCE = new WireSizeEstimator();
    private static final int FRAME_OVERHEAD = 16;
    private static final int SMALL_MESSAGE = 64;

    private WireSizeEstimator() {}

    @Override
    public Handle newHandle() {
        return this;
    }

    @Override
    public int size(Object message) {
        return switch (message) {
            case WireMessage.Payload payload -> payload.body().length + FRAME_OVERHEAD;
            case WireMessage other -> SMALL_MESSAGE;
            case ByteBuf buffer -> buffer.readableBytes();
            default -> SMALL_MESSAGE;
        };
    }
}
