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
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's listening socket and event loops (epoll where available): accepts connections and
 * gives each a {@link RelayConnection}. Accepting never waits on a client, so a client that never
 * completes its handshake delays nobody (the reference relay reads INIT in its accept loop).
 *
 * <p>On {@code 127.0.0.1} (the default address, {@code 127.0.0.1:55555}, included) it also listens on
 * {@code [::1]} at the same port, as the reference relay does (§1, §11), when the host has an IPv6
 * loopback; when it has none, or that socket cannot be bound, the relay goes on with IPv4 alone.
 */
public final class RelayListener {
    private static final Logger log = LoggerFactory.getLogger(RelayListener.class);

    private final EventLoopGroup group;
    private final Channel server;
    private final Channel ipv6;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RelayListener(EventLoopGroup group, Channel server, Channel ipv6) {
        this.group = group;
        this.server = server;
        this.ipv6 = ipv6;
    }

    /** Binds {@code config.address()}; throws {@link RelayBindException} when it cannot. */
    public static RelayListener bind(Node node, RelayConfig config) {
        NettyTransports transport = NettyTransports.best();
        EventLoopGroup group = transport.newGroup(config.ioThreads(),
                Thread.ofPlatform().daemon().name("iridium-relay-", 0).factory(), config.ioSpin());
        LocalClusters clusters = new LocalClusters(node, config.serviceLimits());
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
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            Channel ipv6 = bound.getAddress().equals(RelayConfig.defaultAddress().getAddress())
                    ? bindIpv6Loopback(bootstrap, bound.getPort()) : null;
            return new RelayListener(group, server, ipv6);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            String what = e instanceof BindException || String.valueOf(e.getMessage()).contains("in use")
                    ? "the address is already in use" : e.toString();
            throw new RelayBindException("cannot listen for relay clients on " + describe(config.address()) + ": " + what, e);
        }
    }

    /** Also listens on {@code [::1]} at {@code port}; null when the host cannot. */
    private static Channel bindIpv6Loopback(ServerBootstrap bootstrap, int port) {
        try {
            InetAddress loopback = InetAddress.getByName("::1");
            if (!(loopback instanceof Inet6Address) || NetworkInterface.getByInetAddress(loopback) == null) {
                return null;
            }
            return bootstrap.bind(new InetSocketAddress(loopback, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            log.debug("relay: not listening on [::1]:{}: {}", port, e.toString());
            return null;
        }
    }

    /** The IPv6 loopback address also listened on, if any. */
    public java.util.Optional<InetSocketAddress> ipv6Address() {
        return ipv6 == null ? java.util.Optional.empty() : java.util.Optional.of((InetSocketAddress) ipv6.localAddress());
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Closes the listener and every connection. Idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close().syncUninterruptibly();
            if (ipv6 != null) {
                ipv6.close().syncUninterruptibly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
