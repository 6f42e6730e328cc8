package io.iridium.relay.wire;

import java.nio.charset.StandardCharsets;

/**
 * Writes packets of either direction: the opcode, then each field in wire order. Varints are
 * minimal unsigned LEB128 (0 → {@code 00}, 300 → {@code AC 02}); bytes and strings are a varint
 * length and the octets; strings are UTF-8; bools are {@code 00} or {@code 01}. Stateless.
 */
public final class RelayEncoder {

    private RelayEncoder() {}

    /** Writes a client-to-relay packet. */
    public static void encode(ClientFrame frame, ByteSink out) {
        switch (frame) {
            case ClientFrame.Init f -> {
                out.writeByte(Opcode.INIT);
                string(out, f.magic());
                string(out, f.version());
                string(out, f.cluster());
            }
            case ClientFrame.Close f -> out.writeByte(Opcode.CLOSE);
            case ClientFrame.Broadcast f -> {
                out.writeByte(Opcode.BROADCAST);
                string(out, f.cluster());
                bytes(out, f.message());
            }
            case ClientFrame.Request f -> {
                out.writeByte(Opcode.REQUEST);
                varint(out, f.id());
                string(out, f.cluster());
                bytes(out, f.request());
                varint(out, f.timeoutMillis());
            }
            case ClientFrame.Reply f -> {
                out.writeByte(Opcode.REPLY);
                varint(out, f.id());
                out.writeByte(f.success() ? 1 : 0);
                if (f.success()) {
                    bytes(out, f.reply());
                } else {
                    string(out, f.fault());
                }
            }
            case ClientFrame.Subscribe f -> {
                out.writeByte(Opcode.SUBSCRIBE);
                string(out, f.topic());
            }
            case ClientFrame.Unsubscribe f -> {
                out.writeByte(Opcode.UNSUBSCRIBE);
                string(out, f.topic());
            }
            case ClientFrame.Publish f -> {
                out.writeByte(Opcode.PUBLISH);
                string(out, f.topic());
                bytes(out, f.event());
            }
            case ClientFrame.TunnelInit f -> {
                out.writeByte(Opcode.TUN_INIT);
                varint(out, f.tunnelId());
                string(out, f.cluster());
                varint(out, f.timeoutMillis());
            }
            case ClientFrame.TunnelConfirm f -> {
                out.writeByte(Opcode.TUN_CONFIRM);
                varint(out, f.buildId());
                varint(out, f.tunnelId());
            }
            case ClientFrame.TunnelAllow f -> {
                out.writeByte(Opcode.TUN_ALLOW);
                varint(out, f.tunnelId());
                varint(out, f.space());
            }
            case ClientFrame.TunnelTransfer f -> {
                out.writeByte(Opcode.TUN_TRANSFER);
                varint(out, f.tunnelId());
                varint(out, f.sizeOrContinuation());
                bytes(out, f.payload());
            }
            case ClientFrame.TunnelClose f -> {
                out.writeByte(Opcode.TUN_CLOSE);
                varint(out, f.tunnelId());
            }
        }
    }

    /** Writes a relay-to-client packet. */
    public static void encode(RelayFrame frame, ByteSink out) {
        switch (frame) {
            case RelayFrame.Init f -> {
                out.writeByte(Opcode.INIT);
                string(out, f.magic());
                string(out, f.version());
            }
            case RelayFrame.Deny f -> {
                out.writeByte(Opcode.DENY);
                string(out, f.magic());
                string(out, f.reason());
            }
            case RelayFrame.Close f -> {
                out.writeByte(Opcode.CLOSE);
                string(out, f.reason());
            }
            case RelayFrame.Broadcast f -> {
                out.writeByte(Opcode.BROADCAST);
                bytes(out, f.message());
            }
            case RelayFrame.Request f -> {
                out.writeByte(Opcode.REQUEST);
                varint(out, f.id());
                bytes(out, f.request());
                varint(out, f.timeoutMillis());
            }
            case RelayFrame.Reply f -> {
                out.writeByte(Opcode.REPLY);
                varint(out, f.id());
                out.writeByte(f.timedOut() ? 1 : 0);
                if (!f.timedOut()) {
                    boolean success = f.reply() != null;
                    out.writeByte(success ? 1 : 0);
                    if (success) {
                        bytes(out, f.reply());
                    } else {
                        string(out, f.fault());
                    }
                }
            }
            case RelayFrame.Publish f -> {
                out.writeByte(Opcode.PUBLISH);
                string(out, f.topic());
                bytes(out, f.event());
            }
            case RelayFrame.TunnelInit f -> {
                out.writeByte(Opcode.TUN_INIT);
                varint(out, f.buildId());
                varint(out, f.chunkLimit());
            }
            case RelayFrame.TunnelConfirm f -> {
                out.writeByte(Opcode.TUN_CONFIRM);
                varint(out, f.tunnelId());
                out.writeByte(f.timedOut() ? 1 : 0);
                if (!f.timedOut()) {
                    varint(out, f.chunkLimit());
                }
            }
            case RelayFrame.TunnelAllow f -> {
                out.writeByte(Opcode.TUN_ALLOW);
                varint(out, f.tunnelId());
                varint(out, f.space());
            }
            case RelayFrame.TunnelTransfer f -> {
                out.writeByte(Opcode.TUN_TRANSFER);
                varint(out, f.tunnelId());
                varint(out, f.sizeOrContinuation());
                bytes(out, f.payload());
            }
            case RelayFrame.TunnelClose f -> {
                out.writeByte(Opcode.TUN_CLOSE);
                varint(out, f.tunnelId());
                string(out, f.reason());
            }
        }
    }

    /** A minimal unsigned LEB128 varint; {@code value} is read as unsigned 64 bits. */
    public static void varint(ByteSink out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static void bytes(ByteSink out, byte[] value) {
        varint(out, value.length);
        out.writeBytes(value, 0, value.length);
    }

    private static void string(ByteSink out, String value) {
        bytes(out, value.getBytes(StandardCharsets.UTF_8));
    }
}
