package io.iridium.relay.wire;

/**
 * The grammar of client-to-relay packets, which the relay decodes. Before the handshake only
 * INIT (0x00) is allowed; after it only 0x02–0x0D. Every other opcode — a second INIT, DENY, 0x0E
 * and above — is a violation, as in the reference relay.
 */
public final class ClientFrames implements FrameGrammar<ClientFrame> {

    /** The one instance; the grammar has no state. */
    public static final ClientFrames GRAMMAR = new ClientFrames();

    private ClientFrames() {}

    /** A decoder for what a client sends, within {@code limits}. */
    public static RelayDecoder<ClientFrame> decoder(WireLimits limits) {
        return new RelayDecoder<>(GRAMMAR, limits);
    }

    @Override
    public boolean isHandshake(ClientFrame frame) {
        return frame instanceof ClientFrame.Init;
    }

    @Override
    public ClientFrame read(int opcode, boolean handshakeDone, FieldReader in) throws RelayProtocolException {
        WireLimits limits = in.limits();
        if (!handshakeDone) {
            if (opcode != Opcode.INIT) {
                throw new RelayProtocolException("handshake: expected INIT (0x00), got opcode 0x" + Integer.toHexString(opcode));
            }
            String magic = in.string("magic", limits.maxNameBytes());
            String version = in.string("version", limits.maxNameBytes());
            String cluster = in.string("cluster", limits.maxNameBytes());
            return in.underflow() ? null : new ClientFrame.Init(magic, version, cluster);
        }
        return switch (opcode) {
            case Opcode.CLOSE -> new ClientFrame.Close();
            case Opcode.BROADCAST -> {
                String cluster = in.string("cluster", limits.maxNameBytes());
                byte[] message = in.bytes("message", limits.maxPayloadBytes());
                yield in.underflow() ? null : new ClientFrame.Broadcast(cluster, message);
            }
            case Opcode.REQUEST -> {
                long id = in.varint("request id");
                String cluster = in.string("cluster", limits.maxNameBytes());
                byte[] request = in.bytes("request", limits.maxPayloadBytes());
                long timeout = in.varint("timeout");
                yield in.underflow() ? null : new ClientFrame.Request(id, cluster, request, timeout);
            }
            case Opcode.REPLY -> {
                long id = in.varint("reply id");
                boolean success = in.bool("success");
                if (success) {
                    byte[] reply = in.bytes("reply", limits.maxPayloadBytes());
                    yield in.underflow() ? null : ClientFrame.Reply.success(id, reply);
                }
                String fault = in.string("fault", limits.maxTextBytes());
                yield in.underflow() ? null : ClientFrame.Reply.failure(id, fault);
            }
            case Opcode.SUBSCRIBE -> {
                String topic = in.string("topic", limits.maxNameBytes());
                yield in.underflow() ? null : new ClientFrame.Subscribe(topic);
            }
            case Opcode.UNSUBSCRIBE -> {
                String topic = in.string("topic", limits.maxNameBytes());
                yield in.underflow() ? null : new ClientFrame.Unsubscribe(topic);
            }
            case Opcode.PUBLISH -> {
                String topic = in.string("topic", limits.maxNameBytes());
                byte[] event = in.bytes("event", limits.maxPayloadBytes());
                yield in.underflow() ? null : new ClientFrame.Publish(topic, event);
            }
            case Opcode.TUN_INIT -> {
                long id = in.varint("tunnel id");
                String cluster = in.string("cluster", limits.maxNameBytes());
                long timeout = in.varint("timeout");
                yield in.underflow() ? null : new ClientFrame.TunnelInit(id, cluster, timeout);
            }
            case Opcode.TUN_CONFIRM -> {
                long build = in.varint("build id");
                long id = in.varint("tunnel id");
                yield in.underflow() ? null : new ClientFrame.TunnelConfirm(build, id);
            }
            case Opcode.TUN_ALLOW -> {
                long id = in.varint("tunnel id");
                long space = in.varint("space");
                yield in.underflow() ? null : new ClientFrame.TunnelAllow(id, space);
            }
            case Opcode.TUN_TRANSFER -> {
                long id = in.varint("tunnel id");
                long size = in.varint("size-or-continuation", limits.maxPayloadBytes());
                byte[] payload = in.bytes("tunnel chunk", limits.maxChunkBytes());
                yield in.underflow() ? null : new ClientFrame.TunnelTransfer(id, size, payload);
            }
            case Opcode.TUN_CLOSE -> {
                long id = in.varint("tunnel id");
                yield in.underflow() ? null : new ClientFrame.TunnelClose(id);
            }
            default -> throw new RelayProtocolException("protocol violation: unknown opcode 0x" + Integer.toHexString(opcode));
        };
    }
}
