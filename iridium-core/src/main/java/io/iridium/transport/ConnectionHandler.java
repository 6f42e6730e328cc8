package io.iridium.transport;

import io.iridium.NodeId;
import io.iridium.wire.MalformedFrameException;
import io.iridium.wire.WireMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a data-plane connection: runs the handshake, then hands application
 * frames to the {@link InboundListener}.
 *
 * <pre>
 *   TLS done ──▶ send Hello ──▶ peer's Hello: version ok, identity as expected?
 *                                 ├─ yes: send HelloAck(accepted)
 *                                 └─ no:  send HelloAck(refused, reason), close
 *                               peer's HelloAck(accepted) ──▶ READY: register with PeerConnections
 * </pre>
 *
 * <p>Anything wrong closes this one connection with a logged reason and a counted meter: a TLS
 * failure (a stranger's key), a malformed or oversized frame, a handshake that does not finish in
 * time, an application frame before the handshake. Nothing propagates further, so the node keeps
 * running.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final RateLimitedLog rejections = new RateLimitedLog(log, 5_000);
    /** How long a connection closed for idleness keeps reading after its goodbye. */
    static final long GOODBYE_GRACE_MILLIS = 2_000;
    /** The refusal reason that tells a dialler another connection of the pair takes precedence. */
    static final String DUPLICATE = "duplicate: the other connection of this pair takes precedence";

    private final PeerConnections connections;
    private final boolean initiatedLocally;
    private final NodeId expectedPeer;
    private NodeId peer;
    private WireMessage.Hello peerHello;
    private boolean acceptedPeer;
    private boolean ready;
    private boolean refusedAsDuplicate;
    private boolean closingIdle;
    /** Whether this inbound connection still holds a handshake slot of {@link PeerConnections#startHandshake}. */
    private boolean holdsHandshakeSlot;
    private ScheduledFuture<?> handshakeDeadline;

    ConnectionHandler(PeerConnections connections, boolean initiatedLocally, NodeId expectedPeer) {
        this.connections = connections;
        this.initiatedLocally = initiatedLocally;
        this.expectedPeer = expectedPeer;
        this.holdsHandshakeSlot = !initiatedLocally;
    }

    private void releaseHandshakeSlot() {
        if (holdsHandshakeSlot) {
            holdsHandshakeSlot = false;
            connections.endHandshake();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long timeout = connections.config().handshakeTimeout().toMillis();
        handshakeDeadline = ctx.executor().schedule(() -> {
            if (!ready) {
                reject(ctx, connections.metrics().handshakeRejected, "handshake not completed within " + timeout + " ms");
            }
        }, timeout, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
        if (ctx.pipeline().get("tls") == null) {
            sendHello(ctx); // plaintext (dev mode): there is no TLS handshake to wait for
        }
    }

    private void sendHello(ChannelHandlerContext ctx) {
        PeerConnections.LocalIdentity self = connections.identity();
        ctx.writeAndFlush(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, self.id(), self.name(), self.advertised()));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent tls) {
            if (tls.isSuccess()) {
                sendHello(ctx);
            } else {
                reject(ctx, connections.metrics().tlsRejected, "TLS handshake failed (not this network's key?): " + rootMessage(tls.cause()));
            }
            return;
        }
        if (event instanceof IdleStateEvent) {
            if (closingIdle) {
                return; // already saying goodbye
            }
            if (ready && connections.isPinned(peer)) {
                ctx.writeAndFlush(new WireMessage.Heartbeat(System.currentTimeMillis()));
                return;
            }
            connections.metrics().idleClosed.increment();
            log.debug("closing idle connection to {}", peer);
            // stop sending on it (new sends queue and redial), say goodbye, and keep reading for a
            // grace period: whatever the peer sent before it read our goodbye still arrives
            closingIdle = true;
            if (ready) {
                connections.detach(peer, ctx.channel());
            }
            ctx.writeAndFlush(new WireMessage.Goodbye("idle"));
            ctx.executor().schedule(() -> {
                ctx.close();
            }, GOODBYE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof WireMessage wire)) {
            io.netty.util.ReferenceCountUtil.release(message);
            reject(ctx, connections.metrics().handshakeRejected, "unexpected inbound object " + message.getClass().getName());
            return;
        }
        switch (wire) {
            case WireMessage.Hello hello -> onHello(ctx, hello);
            case WireMessage.HelloAck ack -> onHelloAck(ctx, ack);
            case WireMessage.Heartbeat heartbeat -> { }
            case WireMessage.Goodbye goodbye -> {
                log.debug("peer {} said goodbye: {}", peer, goodbye.reason());
                if (ready) {
                    connections.detach(peer, ctx.channel()); // later sends queue and redial
                }
                ctx.close(); // after what we already wrote, which the peer still reads
            }
            default -> {
                if (!ready) {
                    reject(ctx, connections.metrics().handshakeRejected, "application frame before the handshake completed");
                    return;
                }
                connections.listener().onMessage(peer, wire);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (ready) {
            connections.listener().onReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    private void onHello(ChannelHandlerContext ctx, WireMessage.Hello hello) {
        if (peerHello != null) {
            reject(ctx, connections.metrics().handshakeRejected, "second Hello on one connection");
            return;
        }
        peerHello = hello;
        peer = hello.from();
        String refusal = null;
        if (hello.protocolVersion() != WireMessage.PROTOCOL_VERSION) {
            refusal = "protocol version " + hello.protocolVersion() + " not supported (this node speaks "
                    + WireMessage.PROTOCOL_VERSION + ")";
        } else if (expectedPeer != null && !expectedPeer.equals(hello.from())) {
            refusal = "dialled node " + expectedPeer + " but " + hello.from() + " answered (restarted?)";
        } else if (hello.from().equals(connections.identity().id())) {
            refusal = "connected to itself";
        } else if (!initiatedLocally && !connections.admitInbound(hello.from(), hello.advertised())) {
            refusal = DUPLICATE;
        }
        PeerConnections.LocalIdentity self = connections.identity();
        if (refusal != null) {
            WireMessage.HelloAck ack = new WireMessage.HelloAck(WireMessage.PROTOCOL_VERSION, self.id(), false, refusal);
            if (refusal.equals(DUPLICATE)) {
                connections.metrics().duplicatesClosed.increment();
            } else {
                connections.metrics().handshakeRejected.increment();
                rejections.warn("refusing connection from {}: {}", ctx.channel().remoteAddress(), refusal);
            }
            ctx.writeAndFlush(ack).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        acceptedPeer = true;
        ctx.writeAndFlush(new WireMessage.HelloAck(WireMessage.PROTOCOL_VERSION, self.id(), true, ""));
    }

    private void onHelloAck(ChannelHandlerContext ctx, WireMessage.HelloAck ack) {
        if (!ack.accepted() && ack.reason().equals(DUPLICATE)) {
            refusedAsDuplicate = true; // the peer's own dial wins; our queue waits for it
            ctx.close();
            return;
        }
        if (!ack.accepted()) {
            reject(ctx, connections.metrics().handshakeRejected, "peer refused the connection: " + ack.reason());
            return;
        }
        if (!acceptedPeer || ready) {
            reject(ctx, connections.metrics().handshakeRejected, "HelloAck out of order");
            return;
        }
        ready = true;
        handshakeDeadline.cancel(false);
        releaseHandshakeSlot();
        connections.metrics().accepted.increment();
        if (connections.register(peer, peerHello.advertised(), ctx.channel(), initiatedLocally)) {
            log.debug("connected to {} ({}) at {}", peerHello.name(), peer, ctx.channel().remoteAddress());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
        }
        releaseHandshakeSlot();
        NodeId unregisterFor = peer != null ? peer : expectedPeer;
        connections.unregister(unregisterFor, ctx.channel(), initiatedLocally, ready, refusedAsDuplicate);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable malformed = cause instanceof DecoderException && cause.getCause() instanceof MalformedFrameException m ? m : cause;
        if (cause instanceof io.netty.handler.codec.EncoderException encoding) {
            // one outbound message could not be encoded (too large): drop it, keep the connection
            connections.metrics().unencodable.increment();
            rejections.warn("dropped an outbound message to {}: {}", peer, rootMessage(encoding));
            return;
        }
        if (malformed instanceof MalformedFrameException frame) {
            reject(ctx, connections.metrics().malformedFrames, "malformed frame: " + frame.getMessage());
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException ssl) {
            reject(ctx, connections.metrics().tlsRejected, "TLS failure: " + rootMessage(ssl));
        } else {
            log.debug("connection to {} at {} failed: {}", peer, ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private void reject(ChannelHandlerContext ctx, io.micrometer.core.instrument.Counter counter, String reason) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        counter.increment();
        rejections.warn("closing connection {} {}: {}", initiatedLocally ? "to" : "from", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
