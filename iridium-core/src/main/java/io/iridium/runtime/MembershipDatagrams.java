package io.iridium.runtime;

import io.iridium.Endpoint;
import io.iridium.membership.MalformedMessageException;
import io.iridium.membership.Swim;
import io.iridium.membership.SwimCodec;
import io.iridium.membership.SwimMessage;
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
 * The thin driver between SWIM and the membership UDP socket, on the protocol loop's thread.
 *
 * <pre>
 *   outbound: SwimMessage ─▶ SwimCodec.encode ─▶ DatagramSealer.seal ─▶ UDP
 *   inbound:  UDP ─▶ DatagramSealer.open ─▶ SwimCodec.decode ─▶ Swim.receive
 *                      │ rejected (stranger's key, replay, stale, garbage): counted, sampled in the log
 * </pre>
 *
 * <p>Nothing a datagram contains can throw past this handler: every rejection is a counted
 * outcome and the socket keeps serving. Sharable only so that a failed bind can retry with
 * the same handler on another port: one socket uses it at a time.
 */
@io.netty.channel.ChannelHandler.Sharable
final class MembershipDatagrams extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(MembershipDatagrams.class);
    private static final RateLimitedLog rejections = new RateLimitedLog(log, 10_000);

    private final DatagramSealer sealer;
    private final Counter sent;
    private final Counter sentBytes;
    private final Counter received;
    private final Counter receivedBytes;
    private final Counter malformed;
    private final Map<OpenResult.Reason, Counter> rejected = new EnumMap<>(OpenResult.Reason.class);
    private Swim swim;
    private Channel channel;

    MembershipDatagrams(DatagramSealer sealer, MeterRegistry registry) {
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

    /** Connects the handler to its protocol core and socket, before the first datagram. */
    void attach(Swim swim, Channel channel) {
        this.swim = swim;
        this.channel = channel;
    }

    /** The outbox SWIM writes to. Called on the protocol loop. */
    void send(Endpoint to, SwimMessage message) {
        Channel out = channel;
        if (out == null || !out.isActive()) {
            return;
        }
        byte[] datagram = sealer.seal(SwimCodec.encode(message));
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
            case OpenResult.Opened opened -> {
                SwimMessage message;
                try {
                    message = SwimCodec.decode(opened.payload());
                } catch (MalformedMessageException e) {
                    malformed.increment();
                    rejections.warn("malformed membership datagram from {}: {}", sender, e.getMessage());
                    return;
                }
                swim.receive(new Endpoint(sender.getAddress().getHostAddress(), sender.getPort()), message);
            }
            case OpenResult.Rejected refusal -> {
                rejected.get(refusal.reason()).increment();
                rejections.warn("membership datagram from {} rejected: {}", sender, refusal.reason());
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port-unreachable and the like surface here on some transports; the socket stays open.
        log.debug("membership socket: {}", cause.toString());
    }
}
