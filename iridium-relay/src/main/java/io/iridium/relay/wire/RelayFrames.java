package io.iridium.relay.wire;

/**
 * The grammar of relay-to-client packets, which a client decodes. Before the handshake only INIT
 * (0x00) and DENY (0x01) are allowed; after it, 0x02–0x05 and 0x08–0x0D (the relay never sends
 * SUBSCRIBE or UNSUBSCRIBE).
 */
public final class RelayFrames implements FrameGrammar<RelayFrame> {

    /** The one instance; the grammar has no state. */
    public static final RelayFrames GRAMMAR = new RelayFrames();

    private RelayFrames() {}

    /** A decoder for what a relay sends, within {@code limits}. */
    public static RelayDecoder<RelayFrame> decoder(WireLimits limits) {
        return new RelayDecoder<>(GRAMMAR, limits);
    }

    @Override
    public boolean isHandshake(RelayFrame frame) {
        return frame instanceof RelayFrame.Init || frame instanceof RelayFrame.Deny;
    }

    @Override
    public RelayFrame read(int opcode, boolean handshakeDone, FieldReader in) throws RelayProtocolException {
        WireLimits limits = in.limits();
        if (!handshakeDone) {
            return switch (opcode) {
                case Opcode.INIT -> {
                    String magic = in.string("magic", limits.maxNameBytes());
                    String version = in.string("version", limits.maxNameBytes());
                    yield in.underflow() ? null : new RelayFrame.Init(magic, version);
                }
                case Opcode.DENY -> {
                    String magic = in.string("magic", limits.maxNameBytes());
                    String reason = in.string("reason", limits.maxTextBytes());
                    yield in.underflow() ? null : new RelayFrame.Deny(magic, reason);
                }
                default -> throw new RelayProtocolException(
                        "handshake: expected INIT or DENY, got opcode 0x" + Integer.toHexString(opcode));
            };
        }
        return switch (opcode) {
            case Opcode.CLOSE -> {
                String reason = in.string("reason", limits.maxTextBytes());
                yield in.underflow() ? null : new RelayFrame.Close(reason);
            }
            case Opcode.BROADCAST -> {
                byte[] message = in.bytes("message", limits.maxPayloadBytes());
                yield in.underflow() ? null : new RelayFrame.Broadcast(message);
            }
            case Opcode.REQUEST -> {
                long id = in.varint("request id");
                byte[] request = in.bytes("request", limits.maxPayloadBytes());
                long timeout = in.varint("timeout");
                yield in.underflow() ? null : new RelayFrame.Request(id, request, timeout);
            }
            case Opcode.REPLY -> {
                long id = in.varint("reply id");
                boolean timedOut = in.bool("timed-out");
                if (timedOut) {
                    yield in.underflow() ? null : RelayFrame.Reply.timeout(id);
                }
                boolean success = in.bool("success");
                if (success) {
                    byte[] reply = in.bytes("reply", limits.maxPayloadBytes());
                    yield in.underflow() ? null : RelayFrame.Reply.success(id, reply);
                }
                String fault = in.string("fault", limits.maxTextBytes());
                yield in.underflow() ? null : RelayFrame.Reply.failure(id, fault);
            }
            case Opcode.PUBLISH -> {
                String topic = in.string("topic", limits.maxNameBytes());
                byte[] event = in.bytes("event", limits.maxPayloadBytes());
                yield in.underflow() ? null : new RelayFrame.Publish(topic, event);
            }
            case Opcode.TUN_INIT -> {
                long build = in.varint("build id");
                long chunkLimit = in.varint("chunk limit");
                yield in.underflow() ? null : new RelayFrame.TunnelInit(build, chunkLimit);
            }
            case Opcode.TUN_CONFIRM -> {
                long id = in.varint("tunnel id");
                boolean timedOut = in.bool("timed-out");
                if (timedOut) {
                    yield in.underflow() ? null : RelayFrame.TunnelConfirm.timeout(id);
                }
                long chunkLimit = in.varint("chunk limit");
                yield in.underflow() ? null : RelayFrame.TunnelConfirm.opened(id, chunkLimit);
            }
            case Opcode.TUN_ALLOW -> {
                long id = in.varint("tunnel id");
                long space = in.varint("space");
                yield in.underflow() ? null : new RelayFrame.TunnelAllow(id, space);
            }
            case Opcode.TUN_TRANSFER -> {
                long id = in.varint("tunnel id");
                long size = in.varint("size-or-continuation", limits.maxPayloadBytes());
                byte[] payload = in.bytes("tunnel chunk", limits.maxChunkBytes());
                yield in.underflow() ? null : new RelayFrame.TunnelTransfer(id, size, payload);
            }
            case Opcode.TUN_CLOSE -> {
                long id = in.varint("tunnel id");
                String reason = in.string("reason", limits.maxTextBytes());
                yield in.underflow() ? null : new RelayFrame.TunnelClose(id, reason);
            }
            default -> throw new RelayProtocolException("protocol violation: unknown opcode 0x" + Integer.toHexString(opcode));
        };
    }
}
