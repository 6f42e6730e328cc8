package io.iridium.wire;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.Arrays;
import java.util.Objects;

/**
 * One data-plane message: what a {@link FrameDecoder} produces from a frame and a
 * {@link FrameEncoder} turns back into one. The domain handles these records only, never bytes.
 *
 * <p>A connection's life, as seen on the wire:
 * <pre>
 *   dialer                                  listener
 *     | ---- Hello(version, id, name, addr) --> |
 *     | <-- Hello(version, id, name, addr) ---- |   each side's first frame
 *     | <-- HelloAck(accepted | reason) ------- |
 *     | ---- HelloAck(accepted | reason) -----> |
 *     | &lt;====== Heartbeat / Payload ... ======&gt; |   while both accepted
 *     | ---- Goodbye(reason) ------------------> |   then close
 * </pre>
 *
 * <p>Every record validates its fields on construction, so any message that exists can be
 * encoded: strings are non-null, free of unpaired surrogates and at most
 * {@link #MAX_TEXT_BYTES} bytes of UTF-8; protocol versions fit in a {@code u16}. Decoding any
 * frame and re-encoding the message gives back the same frame.
 *
 * <p>Records are immutable except for {@link Payload}'s body, whose ownership passes to the
 * record (see there). All records are safe to hand between threads once published.
 */
public sealed interface WireMessage
        permits WireMessage.Hello, WireMessage.HelloAck, WireMessage.Heartbeat, WireMessage.Goodbye,
                WireMessage.Payload {

    /** The protocol version this build speaks, sent in {@link Hello} and {@link HelloAck}. */
    int PROTOCOL_VERSION = 1;

    /** The largest string field, in bytes of UTF-8 (names, reasons, host names). */
    int MAX_TEXT_BYTES = 1024;

    /**
     * The first frame each side sends on a new connection: who it is and where it can be reached.
     *
     * <pre>
     * +-----------+--------------------+-----------------+-------------+--------------+
     * | version   | from: high, low    | name            | host        | port         |
     * | u16       | i64, i64           | u16 len + UTF-8 | u16 + UTF-8 | u16          |
     * +-----------+--------------------+-----------------+-------------+--------------+
     * </pre>
     *
     * @param protocolVersion the sender's {@link #PROTOCOL_VERSION}, 0 to 65535
     * @param from            the sender's node identity
     * @param name            the sender's human-readable node name
     * @param advertised      where the sender accepts datagrams and connections
     */
    record Hello(int protocolVersion, NodeId from, String name, Endpoint advertised) implements WireMessage {
        /** @throws IllegalArgumentException if a field cannot be encoded (see {@link WireMessage}) */
        public Hello {
            Text.requireU16(protocolVersion, "protocolVersion");
            Objects.requireNonNull(from, "from");
            Text.requireEncodable(name, "name");
            Objects.requireNonNull(advertised, "advertised");
            Text.requireEncodable(advertised.host(), "advertised.host");
        }
    }

    /**
     * The answer to a {@link Hello}: whether the sender accepts the connection and, if not, why.
     *
     * <pre>
     * +-----------+--------------------+--------------------+-----------------+
     * | version   | from: high, low    | accepted           | reason          |
     * | u16       | i64, i64           | u8 (0 or 1)        | u16 len + UTF-8 |
     * +-----------+--------------------+--------------------+-----------------+
     * </pre>
     *
     * @param protocolVersion the sender's {@link #PROTOCOL_VERSION}, 0 to 65535
     * @param from            the sender's node identity
     * @param accepted        whether the connection may carry traffic
     * @param reason          why it was refused; empty when accepted
     */
    record HelloAck(int protocolVersion, NodeId from, boolean accepted, String reason) implements WireMessage {
        /** @throws IllegalArgumentException if a field cannot be encoded (see {@link WireMessage}) */
        public HelloAck {
            Text.requireU16(protocolVersion, "protocolVersion");
            Objects.requireNonNull(from, "from");
            Text.requireEncodable(reason, "reason");
        }
    }

    /**
     * A liveness signal on an otherwise idle connection.
     *
     * <pre>
     * +------------------+
     * | sentAtMillis i64 |
     * +------------------+
     * </pre>
     *
     * @param sentAtMillis the sender's clock when it sent this (for round-trip estimates only)
     */
    record Heartbeat(long sentAtMillis) implements WireMessage {}

    /**
     * The last frame before an orderly close.
     *
     * <pre>
     * +-----------------+
     * | reason          |
     * | u16 len + UTF-8 |
     * +-----------------+
     * </pre>
     *
     * @param reason why the sender closes the connection, for the peer's log
     */
    record Goodbye(String reason) implements WireMessage {
        /** @throws IllegalArgumentException if the reason cannot be encoded (see {@link WireMessage}) */
        public Goodbye {
            Text.requireEncodable(reason, "reason");
        }
    }

    /**
     * An opaque application frame on a numbered channel.
     *
     * <pre>
     * +-------------+---------------+---------------------+
     * | channel i32 | body len u32  | body (len bytes)    |
     * +-------------+---------------+---------------------+
     * </pre>
     *
     * <p>The body is not copied: the record takes ownership of the array, and neither the caller
     * nor a receiver may modify it afterwards. {@code equals}, {@code hashCode} and
     * {@code toString} compare and show the body's contents, not its identity.
     *
     * @param channel the application channel; any value
     * @param body    the application bytes; bounded only by the frame size
     */
    record Payload(int channel, byte[] body) implements WireMessage {
        /** @throws NullPointerException if {@code body} is null */
        public Payload {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Payload that && channel == that.channel && Arrays.equals(body, that.body);
        }

        @Override
        public int hashCode() {
            return 31 * Integer.hashCode(channel) + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Payload[channel=" + channel + ", body=" + body.length + " bytes]";
        }
    }
}
