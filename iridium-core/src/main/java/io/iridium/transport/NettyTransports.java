package io.iridium.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * Picks Netty's native epoll transport where it loads (Linux) and the portable NIO transport
 * elsewhere, so that the rest of the runtime names channel classes through one place; and the
 * buffer allocator every channel uses ({@link #allocator()}).
 */
public enum NettyTransports {
    /** Linux epoll: fewer copies and system calls. */
    EPOLL,
    /** Java NIO: everywhere. */
    NIO;

    /** The best transport available on this machine; {@code -Diridium.transport=nio} forces NIO. */
    public static NettyTransports best() {
        if ("nio".equalsIgnoreCase(System.getProperty("iridium.transport"))) {
            return NIO;
        }
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** System property with which Netty names its default allocator; when set, it is obeyed. */
    private static final String NETTY_ALLOCATOR_PROPERTY = "io.netty.allocator.type";

    /**
     * The buffer allocator for Iridium's channels: Netty's pooled allocator (arenas of direct
     * memory with per-thread caches), unless {@code -Dio.netty.allocator.type} asks for another.
     * Netty 4.2's default, the adaptive allocator, kept freeing whole direct chunks and allocating
     * new ones under a steady stream of write batches and TLS records: a publisher's event loop spent
     * 40% of its time in {@code ByteBuffer.allocateDirect} zeroing fresh chunks, and 16 B pub/sub
     * ran 1.25-1.4× faster on the pooled allocator (BENCHMARKS.md). The Iris relay's listener keeps
     * Netty's default: on its loopback connections the pooled allocator measured no better, and
     * in three A/B rounds its medians were lower (publish, 128 callers, latency).
     */
    public static ByteBufAllocator allocator() {
        return System.getProperty(NETTY_ALLOCATOR_PROPERTY) == null ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
    }

    /** A group of {@code threads} event loops whose threads come from {@code threads}, blocking when idle. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return newGroup(threads, threadFactory, Duration.ZERO);
    }

    /**
     * A group of {@code threads} event loops whose threads come from {@code threads}, each
     * polling for up to {@code spin} when it runs out of work before it blocks ({@link SpinThenBlock}).
     */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, Duration spin) {
        IoHandlerFactory handlers;
        if (spin.isZero()) {
            handlers = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        } else {
            SelectStrategyFactory strategies = SpinThenBlock.factory(spin);
            handlers = this == EPOLL
                    ? EpollIoHandler.newFactory(0, strategies)
                    : NioIoHandler.newFactory(SelectorProvider.provider(), strategies);
        }
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, handlers);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
