package io.iridium.runtime;

import io.iridium.Endpoint;
import io.iridium.membership.MalformedMessageException;
import io.iridium.membership.Swim;
import io.iridium.membership.SwimCodec;
import io.iridium.membership.SwimMessage;
import io.iridium.routing.MalformedRegistryMessageException;
import io.iridium.routing.Registry;
import io.iridium.routing.RegistryCodec;
import io.iridium.routing.RegistryMessage;
import io.iridium.security.DatagramSealer;
import io.iridium.security.OpenResult;
import io.iridium.transport.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin driver between the datagram protocols (SWIM and the routing registry) and the UDP
 * socket they share, on the protocol loop's thread. The sealed payload starts with one byte
 * naming the protocol:
 *
 * <pre>
 *   outbound: message ─▶ codec ─▶ [protocol u8 | body] ─▶ DatagramSealer.seal ─▶ UDP
 *   inbound:  UDP ─▶ DatagramSealer.open ─▶ protocol byte ─▶ SwimCodec / RegistryCodec ─▶ core.receive
 *                      │ rejected (stranger's key, replay, stale, garbage): counted, sampled in the log
 * </pre>
 *
 * <p>Nothing a datagram contains can throw past this handler: every rejection is a counted
 * outcome and the socket keeps serving. Sharable only so that a failed bind can retry with
 * the same handler on another port: one socket uses it at a time.
 */
@io.netty.channel.ChannelHandler.Sharable
final class ProtocolDatagrams extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(ProtocolDatagrams.class);
    /** The protocol byte of SWIM datagrams. */
    static final byte SWIM = 1;
    /** The protocol byte of routing-registry datagrams. */
    static final byte REGISTRY = 2;
    private static final RateLimitedLog rejections = new RateLimitedLog(log, 10_000);

    private final DatagramSealer sealer;
    private final Counter sent;
    private final Counter sentBytes;
    private final Counter received;
    private final Counter receivedBytes;
    private final Counter malformed;
    private final Map<OpenResult.Reason, Counter> rejected = new EnumMap<>(OpenResult.Reason.class);
    private Swim swim;
    private Registry registry;
    private Runnable afterInbound = () -> { };
    private Channel channel;

    ProtocolDatagrams(DatagramSealer sealer, MeterRegistry registry) {
        this.sealer = sealer;
        this.sent = Counter.builder("iridium.membership.datagrams.sent").register(registry);
        this.sentBytes = Counter.builder("iridium.membership.bytes.sent").baseUnit("bytes").register(registry);
        this.received = Counter.builder("iridium.membership.datagrams.received").register(registry);
        this.receivedBytes = Counter.builder("iridium.membership.bytes.received").baseUnit("bytes").register(registry);
        this.malformed = Counter.builder("iridium.membership.datagrams.malformed")
                .description("Authenticated datagrams that did not decode")
                .register(registry);
        for (OpenResult.Reason reason : OpenResult.Reason.values()) {
            rejected.put(reason, Counter.builder("iridium.membership.datagrams.rejected")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Datagrams refused before decoding: another network's key, tampered, replayed, stale or truncated")
                    .register(registry));
        }
    }

    /**
     * Connects the handler to its protocol cores and socket, before the first datagram.
     *
     * @param afterInbound run after each datagram a core received (to publish new routes)
     */
    void attach(Swim swim, Registry registry, Channel channel, Runnable afterInbound) {
        this.swim = swim;
        this.registry = registry;
        this.channel = channel;
        this.afterInbound = afterInbound;
    }

    /** The outbox SWIM writes to. Called on the protocol loop. */
    void sendSwim(Endpoint to, SwimMessage message) {
        send(to, SWIM, SwimCodec.encode(message));
    }

    /** The outbox the registry writes to. Called on the protocol loop. */
    void sendRegistry(Endpoint to, RegistryMessage message) {
        send(to, REGISTRY, RegistryCodec.encode(message));
    }

    private void send(Endpoint to, byte protocol, byte[] body) {
        Channel out = channel;
        if (out == null || !out.isActive()) {
            return;
        }
        byte[] payload = new byte[body.length + 1];
        payload[0] = protocol;
        System.arraycopy(body, 0, payload, 1, body.length);
        byte[] datagram = sealer.seal(payload);
        sent.increment();
        sentBytes.increment(datagram.length);
        out.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), new InetSocketAddress(to.host(), to.port())), out.voidPromise());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        if (swim == null) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(packet.content());
        InetSocketAddress sender = packet.sender();
        received.increment();
        receivedBytes.increment(bytes.length);
        switch (sealer.open(bytes)) {
            case OpenResult.Opened opened -> dispatch(opened.payload(), sender);
            case OpenResult.Rejected refusal -> {
                rejected.get(refusal.reason()).increment();
                rejections.warn("membership datagram from {} rejected: {}", sender, refusal.reason());
            }
        }
    }

    private void dispatch(byte[] payload, InetSocketAddress sender) {
        if (payload.length == 0) {
            malformed.increment();
            rejections.warn("empty datagram from {}", sender);
            return;
        }
        byte[] body = java.util.Arrays.copyOfRange(payload, 1, payload.length);
        Endpoint from = new Endpoint(sender.getAddress().getHostAddress(), sender.getPort());
        try {
            switch (payload[0]) {
                case SWIM -> swim.receive(from, SwimCodec.decode(body));
                case REGISTRY -> registry.receive(from, RegistryCodec.decode(body));
                default -> {
                    malformed.increment();
                    rejections.warn("datagram from {} for unknown protocol {}", sender, payload[0]);
                    return;
                }
            }
        } catch (MalformedMessageException | MalformedRegistryMessageException e) {
            malformed.increment();
            rejections.warn("malformed datagram from {}: {}", sender, e.getMessage());
            return;
        } catch (RuntimeException e) {
            // a bug, not bad input: say so loudly, and keep serving the socket
            log.error("handling a datagram from {} failed", sender, e);
        }
        afterInbound.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port-unreachable and the like surface here on some transports; the socket stays open.
        log.debug("membership socket: {}", cause.toString());
    }
}
