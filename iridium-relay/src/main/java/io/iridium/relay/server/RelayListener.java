package io.iridium.relay.server;

import io.iridium.Node;
import io.iridium.relay.RelayBindException;
import io.iridium.relay.RelayConfig;
import io.iridium.transport.NettyTransports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The relay's listening socket and event loops (epoll where available): accepts connections and
 * gives each a {@link RelayConnection}. Accepting never waits on a client, so a client that never
 * completes its handshake delays nobody (the reference relay reads INIT in its accept loop).
 */
public final class RelayListener {
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RelayListener(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Binds {@code config.address()}; throws {@link RelayBindException} when it cannot. */
    public static RelayListener bind(Node node, RelayConfig config) {
        NettyTransports transport = NettyTransports.best();
        EventLoopGroup group = transport.newGroup(config.ioThreads(),
                Thread.ofPlatform().daemon().name("iridium-relay-", 0).factory());
        LocalClusters clusters = new LocalClusters(node, config.serviceLimits(), config.deliveredRequestTimeout());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new RelayConnection(node, clusters, config));
                    }
                });
        try {
            Channel server = bootstrap.bind(config.address()).syncUninterruptibly().channel();
            return new RelayListener(group, server);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            String what = e instanceof BindException || String.valueOf(e.getMessage()).contains("in use")
                    ? "the address is already in use" : e.toString();
            throw new RelayBindException("cannot listen for relay clients on " + describe(config.address()) + ": " + what, e);
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Closes the listener and every connection. Idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
