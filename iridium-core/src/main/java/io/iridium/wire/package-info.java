/**
 * The data-plane wire format: length-prefixed binary frames carrying {@link io.iridium.wire.WireMessage}
 * records over a TCP/TLS connection.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  length (u32, big-endian)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  type (u8)    |  body: length - 1 bytes, laid out per type ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code length} counts the bytes after the length field (type byte and body) and is checked
 * against the connection's largest frame ({@link io.iridium.Config#maxFrameBytes()}) before a
 * single byte of the frame is buffered or allocated. Each message type has one codec; strings are
 * {@code u16}-length-prefixed UTF-8 bounded by {@link io.iridium.wire.WireMessage#MAX_TEXT_BYTES},
 * byte arrays are {@code u32}-length-prefixed and bounded by the frame that holds them.
 *
 * <p>Two Netty handlers adapt the format to a pipeline: {@link io.iridium.wire.FrameDecoder}
 * (bytes to records) and {@link io.iridium.wire.FrameEncoder} (records to bytes). Nothing outside
 * this package and the transport sees a {@code ByteBuf}: the domain handles records only. A
 * malformed frame surfaces as a {@link io.iridium.wire.MalformedFrameException}, on which the
 * transport closes that one connection and logs the reason.
 *
 * <p>Full-size tunnel chunks are read into, and sent from, arrays recycled by
 * {@link io.iridium.wire.TunnelChunks}, so bulk data is copied into warm memory: a frame owns its
 * chunk array, and whoever finishes with the frame gives the array back. The decoder packs small
 * event bodies side by side into such arrays ({@link io.iridium.wire.BodySlab}): each decoded
 * {@code Publish} holds its slab, which goes back once the decoder has left it and every hold
 * was released.
 */
package io.iridium.wire;
