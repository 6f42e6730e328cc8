package io.iridium.relay.wire;

/**
 * Where the encoder writes a packet's octets: a growable array here, a Netty buffer in the
 * server's driver. The encoder never sees anything else of the destination.
 */
public interface ByteSink {

    void writeByte(int value);

    void writeBytes(byte[] source, int offset, int length);
}
