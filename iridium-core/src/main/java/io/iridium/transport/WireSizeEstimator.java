package io.iridium.transport;

import io.iridium.wire.WireMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.MessageSizeEstimator;

/**
 * Tells Netty how many bytes a queued {@link WireMessage} will take on the wire, so that its
 * write-buffer water marks (and with them back-pressure) count records as well as buffers. The
 * estimate is every body and text field plus a small fixed overhead: exact enough for bounding
 * memory, and no record carrying application bytes is counted as small.
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
            case WireMessage wire -> size(wire);
            case ByteBuf buffer -> buffer.readableBytes();
            default -> SMALL_MESSAGE;
        };
    }

    /** The frame's size give or take a few bytes: bodies exactly, text by its length in chars. */
    int size(WireMessage message) {
        return FRAME_OVERHEAD + switch (message) {
            case WireMessage.Payload m -> m.body().length;
            case WireMessage.Request m -> m.body().length + m.cluster().length();
            case WireMessage.Reply m -> m.body().length;
            case WireMessage.Broadcast m -> m.body().length + m.cluster().length();
            case WireMessage.Publish m -> m.length() + m.topic().length();
            case WireMessage.TunnelData m -> m.chunk().length;
            case WireMessage.Failed m -> m.message().length();
            default -> SMALL_MESSAGE;
        };
    }
}
