package io.iridium.relay.server;

import io.iridium.relay.wire.ByteSink;
import io.netty.buffer.ByteBuf;

/** Lets the encoder write into a Netty buffer (the driver's side of the {@link ByteSink} seam). */
final class ByteBufSink implements ByteSink {
    private ByteBuf buffer;

    ByteBufSink target(ByteBuf target) {
        this.buffer = target;
        return this;
    }

    @Override
    public void writeByte(int value) {
        buffer.writeByte(value);
    }

    @Override
    public void writeBytes(byte[] source, int offset, int length) {
        buffer.writeBytes(source, offset, length);
    }
}
