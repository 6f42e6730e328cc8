package io.iridium.relay.wire;

import java.util.Objects;

/**
 * A packet from a client (a binding) to the relay, one record per opcode of v1.0-draft2, with its
 * fields in wire order:
 *
 * <pre>
 *   00 INIT          string magic, string version, string cluster ("" = plain client)
 *   02 CLOSE         -
 *   03 BROADCAST     string cluster, bytes message
 *   04 REQUEST       varint id, string cluster, bytes request, varint timeout-ms
 *   05 REPLY         varint id, bool success, (bytes reply | string fault)
 *   06 SUBSCRIBE     string topic
 *   07 UNSUBSCRIBE   string topic
 *   08 PUBLISH       string topic, bytes event
 *   09 TUN_INIT      varint tunnel-id, string cluster, varint timeout-ms
 *   0A TUN_CONFIRM   varint build-id, varint tunnel-id
 *   0B TUN_ALLOW     varint tunnel-id, varint space
 *   0C TUN_TRANSFER  varint tunnel-id, varint size-or-continuation, bytes payload
 *   0D TUN_CLOSE     varint tunnel-id
 * </pre>
 *
 * Byte arrays are carried as given, not copied.
 */
public sealed interface ClientFrame {

    /** The first packet of a connection. */
    record Init(String magic, String version, String cluster) implements ClientFrame {
        public Init {
            Objects.requireNonNull(magic);
            Objects.requireNonNull(version);
            Objects.requireNonNull(cluster);
        }
    }

    /** Asks the relay to close the connection gracefully. */
    record Close() implements ClientFrame {}

    record Broadcast(String cluster, byte[] message) implements ClientFrame {}

    /** A request with an id chosen by the client, echoed in the relay's reply. */
    record Request(long id, String cluster, byte[] request, long timeoutMillis) implements ClientFrame {}

    /** A service's answer to a request the relay delivered: exactly one of reply and fault is non-null. */
    record Reply(long id, byte[] reply, String fault) implements ClientFrame {
        public Reply {
            if ((reply == null) == (fault == null)) {
                throw new IllegalArgumentException("a reply carries either a reply or a fault");
            }
        }

        public static Reply success(long id, byte[] reply) {
            return new Reply(id, reply, null);
        }

        public static Reply failure(long id, String fault) {
            return new Reply(id, null, fault);
        }

        public boolean success() {
            return reply != null;
        }
    }

    record Subscribe(String topic) implements ClientFrame {}

    record Unsubscribe(String topic) implements ClientFrame {}

    record Publish(String topic, byte[] event) implements ClientFrame {}

    /** Opens a tunnel to one member of {@code cluster}, under an id chosen by the client. */
    record TunnelInit(long tunnelId, String cluster, long timeoutMillis) implements ClientFrame {}

    /** Accepts the inbound tunnel announced with {@code buildId}, naming it {@code tunnelId}. */
    record TunnelConfirm(long buildId, long tunnelId) implements ClientFrame {}

    /** Grants the relay {@code space} more bytes of credit on a tunnel. */
    record TunnelAllow(long tunnelId, long space) implements ClientFrame {}

    /** One chunk: {@code sizeOrContinuation} is the message's total length on its first chunk, 0 after. */
    record TunnelTransfer(long tunnelId, long sizeOrContinuation, byte[] payload) implements ClientFrame {}

    record TunnelClose(long tunnelId) implements ClientFrame {}
}
