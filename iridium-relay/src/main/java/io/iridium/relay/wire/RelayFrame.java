package io.iridium.relay.wire;

import java.util.Objects;

/**
 * A packet from the relay to a client, one record per opcode of v1.0-draft2, with its fields in
 * wire order:
 *
 * <pre>
 *   00 INIT          string magic, string version
 *   01 DENY          string magic, string reason
 *   02 CLOSE         string reason ("" = graceful)
 *   03 BROADCAST     bytes message
 *   04 REQUEST       varint id, bytes request, varint timeout-ms
 *   05 REPLY         varint id, bool timed-out, [bool success, (bytes reply | string fault)]
 *   08 PUBLISH       string topic, bytes event
 *   09 TUN_INIT      varint build-id, varint chunk-limit
 *   0A TUN_CONFIRM   varint tunnel-id, bool timed-out, [varint chunk-limit]
 *   0B TUN_ALLOW     varint tunnel-id, varint space
 *   0C TUN_TRANSFER  varint tunnel-id, varint size-or-continuation, bytes payload
 *   0D TUN_CLOSE     varint tunnel-id, string reason ("" = graceful)
 * </pre>
 *
 * Byte arrays are carried as given, not copied.
 */
public sealed interface RelayFrame {

    /** Accepts a client's handshake. */
    record Init(String magic, String version) implements RelayFrame {
        public Init {
            Objects.requireNonNull(magic);
            Objects.requireNonNull(version);
        }
    }

    /** Refuses a client's handshake (a version other than {@link Protocol#VERSION}). */
    record Deny(String magic, String reason) implements RelayFrame {}

    record Close(String reason) implements RelayFrame {}

    record Broadcast(byte[] message) implements RelayFrame {}

    /** A request delivered to a service, under an id assigned by the relay. */
    record Request(long id, byte[] request, long timeoutMillis) implements RelayFrame {}

    /**
     * The outcome of a client's request: timed out (neither reply nor fault), a reply, or a fault.
     */
    record Reply(long id, boolean timedOut, byte[] reply, String fault) implements RelayFrame {
        public Reply {
            int set = (timedOut ? 1 : 0) + (reply != null ? 1 : 0) + (fault != null ? 1 : 0);
            if (set != 1) {
                throw new IllegalArgumentException("a reply is exactly one of timed out, a reply, a fault");
            }
        }

        public static Reply success(long id, byte[] reply) {
            return new Reply(id, false, reply, null);
        }

        public static Reply failure(long id, String fault) {
            return new Reply(id, false, null, fault);
        }

        public static Reply timeout(long id) {
            return new Reply(id, true, null, null);
        }
    }

    record Publish(String topic, byte[] event) implements RelayFrame {}

    /** Announces an inbound tunnel to a service, under a temporary build id. */
    record TunnelInit(long buildId, long chunkLimit) implements RelayFrame {}

    /** The outcome of a client's TUN_INIT: timed out, or open with a chunk limit. */
    record TunnelConfirm(long tunnelId, boolean timedOut, long chunkLimit) implements RelayFrame {
        public static TunnelConfirm opened(long tunnelId, long chunkLimit) {
            return new TunnelConfirm(tunnelId, false, chunkLimit);
        }

        public static TunnelConfirm timeout(long tunnelId) {
            return new TunnelConfirm(tunnelId, true, 0);
        }
    }

    record TunnelAllow(long tunnelId, long space) implements RelayFrame {}

    record TunnelTransfer(long tunnelId, long sizeOrContinuation, byte[] payload) implements RelayFrame {}

    record TunnelClose(long tunnelId, String reason) implements RelayFrame {}
}
