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
 *     | &lt;-- Hello(version, id, name, addr) ---- |   each side's first frame
 *     | &lt;-- HelloAck(accepted | reason) ------- |
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
                WireMessage.Payload, WireMessage.Request, WireMessage.Reply, WireMessage.Refused,
                WireMessage.Failed, WireMessage.Broadcast, WireMessage.Publish, WireMessage.TunnelOpen,
                WireMessage.TunnelAccept, WireMessage.TunnelRefuse, WireMessage.TunnelData,
                WireMessage.TunnelCredit, WireMessage.TunnelEnd, WireMessage.TunnelAbort {

    /** The protocol version this build speaks, sent in {@link Hello} and {@link HelloAck}. */
    int PROTOCOL_VERSION = 1;

    /** The largest string field, in bytes of UTF-8 (names, reasons, host names). */
    int MAX_TEXT_BYTES = 1024;

    /**
     * Makes free text (an exception's message, a reason) fit a text field: unpaired surrogates
     * become U+FFFD and the text is cut, with an ellipsis, to at most {@link #MAX_TEXT_BYTES}
     * bytes of UTF-8. Identifiers (clusters, topics) are validated instead, never cut.
     */
    static String fitText(String text) {
        StringBuilder fitted = new StringBuilder(text.length());
        int bytes = 0;
        int cut = -1; // where to cut if the whole text turns out too long
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF) {
                codePoint = 0xFFFD; // an unpaired surrogate
            }
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (cut < 0 && bytes > MAX_TEXT_BYTES - 3) {
                cut = fitted.length(); // leaves room for the 3-byte ellipsis
            }
            fitted.appendCodePoint(codePoint);
        }
        if (bytes <= MAX_TEXT_BYTES) {
            return fitted.toString();
        }
        fitted.setLength(cut);
        return fitted.append('\u2026').toString();
    }

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
        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException if a field cannot be encoded (see {@link WireMessage})
         */
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
        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException if a field cannot be encoded (see {@link WireMessage})
         */
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
        /**
         * Validates the reason.
         *
         * @throws IllegalArgumentException if the reason cannot be encoded (see {@link WireMessage})
         */
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
        /**
         * Takes ownership of {@code body}.
         *
         * @throws NullPointerException if {@code body} is null
         */
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

    // ---- messaging ---------------------------------------------------------------------------
    //
    // Records below carry application bytes; like Payload, they take ownership of the array and
    // compare by content. Request ids are chosen by the requester and unique per requester;
    // tunnel ids are chosen by the opener and unique per opener, so a receiver keys both by
    // (sender, id). On every tunnel frame the accepting side sends, the id's top bit is set, so
    // two nodes that open tunnels to each other with the same id never confuse them.

    /**
     * A request to a member of {@code cluster}.
     *
     * <pre>
     * | id i64 | cluster text | timeoutMillis i32 | u32 len + body |
     * </pre>
     *
     * @param id            the requester's id for matching the answer
     * @param cluster       the cluster addressed
     * @param timeoutMillis the time left before the requester gives up; the member does not start
     *                      the request after that
     * @param body          the request bytes
     */
    record Request(long id, String cluster, int timeoutMillis, byte[] body) implements WireMessage {
        public Request {
            Text.requireEncodable(cluster, "cluster");
            if (timeoutMillis < 1) {
                throw new IllegalArgumentException("timeoutMillis must be positive, got " + timeoutMillis);
            }
            Objects.requireNonNull(body, "body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Request r && id == r.id && timeoutMillis == r.timeoutMillis
                    && cluster.equals(r.cluster) && Arrays.equals(body, r.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, cluster, timeoutMillis, Arrays.hashCode(body));
        }

        @Override
        public String toString() {
            return "Request[id=" + id + ", cluster=" + cluster + ", timeoutMillis=" + timeoutMillis + ", body=" + body.length + " bytes]";
        }
    }

    /**
     * The successful answer to a {@link Request}.
     *
     * <pre>
     * | id i64 | u32 len + body |
     * </pre>
     */
    record Reply(long id, byte[] body) implements WireMessage {
        public Reply {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reply r && id == r.id && Arrays.equals(body, r.body);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(id) + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Reply[id=" + id + ", body=" + body.length + " bytes]";
        }
    }

    /**
     * A member's statement that it did <em>not</em> run a {@link Request}, so the requester may
     * send it elsewhere (or, for {@code EXPIRED}, give up).
     *
     * <pre>
     * | id i64 | reason u8 |
     * </pre>
     */
    record Refused(long id, Reason reason) implements WireMessage {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        /** Why a request was not run. The wire code is the ordinal + 1: never reorder. */
        public enum Reason {
            /** The node does not (or no longer) serve the cluster. */
            NOT_MEMBER,
            /** The service is over its limits. */
            OVERLOADED,
            /** The deadline passed before the request could start. */
            EXPIRED
        }
    }

    /**
     * The answer to a {@link Request} whose handler failed.
     *
     * <pre>
     * | id i64 | message text |
     * </pre>
     */
    record Failed(long id, String message) implements WireMessage {
        public Failed {
            Text.requireEncodable(message, "message");
        }
    }

    /**
     * A message to every member of a cluster.
     *
     * <pre>
     * | cluster text | u32 len + body |
     * </pre>
     */
    record Broadcast(String cluster, byte[] body) implements WireMessage {
        public Broadcast {
            Text.requireEncodable(cluster, "cluster");
            Objects.requireNonNull(body, "body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Broadcast b && cluster.equals(b.cluster) && Arrays.equals(body, b.body);
        }

        @Override
        public int hashCode() {
            return 31 * cluster.hashCode() + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Broadcast[cluster=" + cluster + ", body=" + body.length + " bytes]";
        }
    }

    /**
     * An event published to a topic; sent once to each node with a matching subscription.
     *
     * <pre>
     * | topic text | u32 len + body |
     * </pre>
     *
     * <p>The body is {@code array[offset, offset + length)}. A publisher's is its own array
     * ({@link #Publish(String, byte[])}); a decoded small one lies in a {@link BodySlab} shared
     * with other frames' bodies, and the record carries one hold on that slab, which its consumer
     * must release (or hand on) once done with the body, and not read the array afterwards.
     * {@link #body()} gives the body as an array of its own either way.
     */
    record Publish(String topic, byte[] array, int offset, int length, BodySlab slab) implements WireMessage {
        public Publish {
            Text.requireEncodable(topic, "topic");
            Objects.requireNonNull(array, "body");
            Objects.checkFromIndexSize(offset, length, array.length);
            if (slab != null && slab.array() != array) {
                throw new IllegalArgumentException("a packed body must lie in its slab's array");
            }
        }

        /** An event whose body is all of {@code body}, which the record then owns. */
        public Publish(String topic, byte[] body) {
            this(topic, body, 0, Objects.requireNonNull(body, "body").length, null);
        }

        /** The body as an array of its own: the record's array when that is exactly the body, else a copy. */
        public byte[] body() {
            return slab == null && offset == 0 && length == array.length
                    ? array : Arrays.copyOfRange(array, offset, offset + length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && topic.equals(p.topic)
                    && Arrays.equals(array, offset, offset + length, p.array, p.offset, p.offset + p.length);
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (int i = offset; i < offset + length; i++) {
                hash = 31 * hash + array[i];
            }
            return 31 * topic.hashCode() + hash;
        }

        @Override
        public String toString() {
            return "Publish[topic=" + topic + ", body=" + length + " bytes" + (slab == null ? "" : ", packed") + "]";
        }
    }

    /**
     * Opens a tunnel to a member of {@code cluster}, granting it {@code credit} bytes to send.
     *
     * <pre>
     * | tunnel i64 | cluster text | timeoutMillis i32 | credit i64 |
     * </pre>
     */
    record TunnelOpen(long tunnel, String cluster, int timeoutMillis, long credit) implements WireMessage {
        public TunnelOpen {
            Text.requireEncodable(cluster, "cluster");
            if (timeoutMillis < 1 || credit < 0) {
                throw new IllegalArgumentException("timeoutMillis must be positive and credit not negative");
            }
        }
    }

    /**
     * The member accepts a tunnel, granting the opener {@code credit} bytes to send.
     *
     * <pre>
     * | tunnel i64 | credit i64 |
     * </pre>
     */
    record TunnelAccept(long tunnel, long credit) implements WireMessage {
        public TunnelAccept {
            if (credit < 0) {
                throw new IllegalArgumentException("credit must not be negative");
            }
        }
    }

    /**
     * The member refuses a tunnel (not a member, over its limits, no tunnel handler).
     *
     * <pre>
     * | tunnel i64 | notMember u8 | reason text |
     * </pre>
     *
     * @param notMember whether the opener may try another member (the tunnel never opened)
     */
    record TunnelRefuse(long tunnel, boolean notMember, String reason) implements WireMessage {
        public TunnelRefuse {
            Text.requireEncodable(reason, "reason");
        }
    }

    /**
     * One chunk of a tunnel message; a message larger than a frame spans several chunks, the last
     * with {@code endOfMessage}. Chunks consume the receiver's credit by their length.
     *
     * <pre>
     * | tunnel i64 | endOfMessage u8 | u32 len + chunk |
     * </pre>
     */
    record TunnelData(long tunnel, boolean endOfMessage, byte[] chunk) implements WireMessage {
        public TunnelData {
            Objects.requireNonNull(chunk, "chunk");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TunnelData d && tunnel == d.tunnel && endOfMessage == d.endOfMessage && Arrays.equals(chunk, d.chunk);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tunnel, endOfMessage, Arrays.hashCode(chunk));
        }

        @Override
        public String toString() {
            return "TunnelData[tunnel=" + tunnel + ", endOfMessage=" + endOfMessage + ", chunk=" + chunk.length + " bytes]";
        }
    }

    /**
     * More credit: the receiver consumed {@code bytes} and lets the sender send that much more.
     *
     * <pre>
     * | tunnel i64 | bytes i64 |
     * </pre>
     */
    record TunnelCredit(long tunnel, long bytes) implements WireMessage {
        public TunnelCredit {
            if (bytes < 1) {
                throw new IllegalArgumentException("a credit grant must be positive, got " + bytes);
            }
        }
    }

    /**
     * The sender will send no more on this tunnel (half-close); it may still receive.
     *
     * <pre>
     * | tunnel i64 |
     * </pre>
     */
    record TunnelEnd(long tunnel) implements WireMessage {}

    /**
     * The tunnel failed or was abandoned; both directions end at once.
     *
     * <pre>
     * | tunnel i64 | reason text |
     * </pre>
     */
    record TunnelAbort(long tunnel, String reason) implements WireMessage {
        public TunnelAbort {
            Text.requireEncodable(reason, "reason");
        }
    }
}
