package io.iridium.transport;

import io.iridium.NodeId;
import io.iridium.wire.FrameDecoder;
import io.iridium.wire.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of one data-plane connection:
 *
 * <pre>
 *   socket ⇄ TLS 1.3 (pinned) ⇄ flush consolidation ⇄ idle timer ⇄ frames ⇄ {@link ConnectionHandler}
 * </pre>
 *
 * <p>Without a TLS context (plaintext, allowed only in dev mode on loopback) the TLS stage is
 * left out and the Hello is taken at its word.</p>
 */
final class ConnectionInitializer extends ChannelInitializer<Channel> {
    /**
     * Plaintext handed to the TLS engine per call: eight records' worth, so that a 64 KiB tunnel
     * chunk and its frame head are encrypted in one call into one output buffer, instead of
     * Netty's default of one 16 KiB record per call (each with its own buffer and copy).
     * Measured: tunnel throughput 1,881-1,901 against 1,727-1,786 MiB/s (BENCHMARKS.md); small
     * messages saw no difference beyond the noise.
     */
    static final int TLS_WRAP_BYTES = 128 * 1024;

    private final PeerConnections connections;
    private final SslContext tls;
    private final boolean initiatedLocally;
    private final NodeId expectedPeer;

    ConnectionInitializer(PeerConnections connections, SslContext tls, boolean initiatedLocally, NodeId expectedPeer) {
        this.connections = connections;
        this.tls = tls;
        this.initiatedLocally = initiatedLocally;
        this.expectedPeer = expectedPeer;
    }

    @Override
    protected void initChannel(Channel channel) {
        TransportConfig config = connections.config();
        ChannelPipeline pipeline = channel.pipeline();
        if (!initiatedLocally && !connections.startHandshake()) {
            channel.close(); // too many strangers mid-handshake already
            return;
        }
        if (tls != null) {
            SslHandler handler = initiatedLocally && channel.remoteAddress() instanceof InetSocketAddress remote
                    ? tls.newHandler(channel.alloc(), remote.getHostString(), remote.getPort())
                    : tls.newHandler(channel.alloc());
            handler.setWrapDataSize(TLS_WRAP_BYTES);
            pipeline.addLast("tls", handler);
        }
        pipeline.addLast("flush", new FlushConsolidationHandler(256, true));
        pipeline.addLast("idle", new IdleTimer(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("frameDecoder", new FrameDecoder(config.maxFrameBytes(), connections.listener()::readsEventsInPlace));
        pipeline.addLast("frameEncoder", new FrameEncoder(config.maxFrameBytes()));
        pipeline.addLast("connection", new ConnectionHandler(connections, initiatedLocally, expectedPeer));
    }
}
