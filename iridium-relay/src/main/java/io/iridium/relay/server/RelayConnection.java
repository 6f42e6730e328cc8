package io.iridium.relay.server;

import io.iridium.Node;
import io.iridium.relay.RelayConfig;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.ClientFrames;
import io.iridium.relay.wire.RelayDecoder;
import io.iridium.relay.wire.RelayEncoder;
import io.iridium.relay.wire.RelayFrame;
import io.iridium.relay.wire.RelayProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty driver of one relay connection: feeds the bytes read to a {@link RelayDecoder}, the
 * frames decoded to a {@link RelaySession}, and encodes what the session sends into one outbound
 * buffer that is written and flushed once the event loop has nothing else queued (so a burst of
 * replies costs one system call). A protocol violation, or any other failure while handling a
 * packet, is logged with its reason and closes this connection only.
 *
 * <p>Output is paced by the socket: tunnel data and the droppable deliveries (broadcasts, events)
 * are written only while the channel is writable and resume when it drains; they wait in a queue
 * of at most {@link #BACKLOG_BYTES} per connection, beyond which they are dropped and counted.
 * Replies are never dropped; a client that lets more than {@link RelayConfig#maxOutboundBytes()}
 * pile up unread is disconnected.
 */
final class RelayConnection extends ChannelInboundHandlerAdapter implements SessionDriver {
    private static final Logger log = LoggerFactory.getLogger(RelayConnection.class);
    private static final int SCRATCH_BYTES = 16 << 10;
    /** Encoded bytes awaiting their flush beyond which writers are told to wait. */
    private static final int PENDING_LIMIT = 256 << 10;
    /** Broadcasts and events queued for a connection that is not keeping up, beyond which they are dropped. */
    static final long BACKLOG_BYTES = 8L << 20;

    private final Node node;
    private final LocalClusters clusters;
    private final RelayConfig config;
    private final RelayDecoder<ClientFrame> decoder;
    private final ByteBufSink sink = new ByteBufSink();
    private final ArrayDeque<Backlogged> backlog = new ArrayDeque<>();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private ChannelHandlerContext ctx;
    private RelaySession session;
    private ByteBuf pending;
    private boolean flushScheduled;
    private boolean closing;
    private boolean starved;
    private volatile boolean inactive;

    /** A droppable delivery waiting for the connection to be writable. */
    private record Backlogged(long bytes, Runnable write) {}

    RelayConnection(Node node, LocalClusters clusters, RelayConfig config) {
        this.node = node;
        this.clusters = clusters;
        this.config = config;
        this.decoder = ClientFrames.decoder(config.wire());
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        session = new RelaySession(node, clusters, config, this, String.valueOf(context.channel().remoteAddress()));
        session.start();
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        ByteBuf in = (ByteBuf) message;
        try {
            if (closing) {
                return;
            }
            if (in.hasArray()) {
                decoder.feed(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes());
            } else {
                int index = in.readerIndex();
                int left = in.readableBytes();
                while (left > 0) {
                    int n = Math.min(left, scratch.length);
                    in.getBytes(index, scratch, 0, n);
                    decoder.feed(scratch, 0, n);
                    index += n;
                    left -= n;
                    drain();
                }
            }
            drain();
        } finally {
            in.release();
        }
    }

    private void drain() {
        try {
            ClientFrame frame;
            while (!closing && (frame = decoder.next()) != null) {
                session.onFrame(frame);
            }
        } catch (RelayProtocolException e) {
            close(e.getMessage());
        } catch (RuntimeException e) {
            log.warn("relay connection {}: failure handling a packet", ctx.channel().remoteAddress(), e);
            close("failure handling a packet: " + e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flushNow();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        inactive = true;
        backlog.clear();
        if (pending != null) {
            pending.release();
            pending = null;
        }
        session.onDisconnected();
        context.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        resumeIfStarved();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        log.debug("relay connection {}: {}", context.channel().remoteAddress(), cause.toString());
        context.close();
    }

    // ---- SessionDriver ----

    @Override
    public void send(RelayFrame frame) {
        if (closing || inactive) {
            return;
        }
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
        }
        RelayEncoder.encode(frame, sink.target(pending));
        long unread = pending.readableBytes() + unflushedBytes();
        if (unread > config.maxOutboundBytes()) {
            abort("the client does not read: " + unread + " bytes wait for it, more than the "
                    + config.maxOutboundBytes() + " allowed");
            return;
        }
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(this::flushNow);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        if (pending != null) {
            ByteBuf out = pending;
            pending = null;
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
        resumeIfStarved();
    }

    private long unflushedBytes() {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Lets writers that were told to wait go on, once the connection can take more. */
    private void resumeIfStarved() {
        if (starved && writable()) {
            starved = false;
            flushBacklog();
            session.onWritable();
        }
    }

    private void flushBacklog() {
        while (!backlog.isEmpty() && writable()) {
            Backlogged next = backlog.poll();
            backlogBytes.addAndGet(-next.bytes());
            next.write().run();
        }
    }

    /** Drops the connection at once, discarding what was not yet written. */
    private void abort(String reason) {
        closing = true;
        log.warn("relay connection {} dropped: {}", ctx.channel().remoteAddress(), reason);
        if (pending != null) {
            pending.release();
            pending = null;
        }
        ctx.close();
    }

    @Override
    public void close(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (reason != null) {
            log.info("relay connection {} closed: {}", ctx.channel().remoteAddress(), reason);
        }
        ByteBuf out = pending == null ? Unpooled.EMPTY_BUFFER : pending;
        pending = null;
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void execute(Runnable task) {
        ctx.executor().execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void pauseReading(boolean paused) {
        ctx.channel().config().setAutoRead(!paused);
    }

    @Override
    public boolean writable() {
        boolean writable = !closing && !inactive && ctx.channel().isWritable()
                && (pending == null || pending.readableBytes() < PENDING_LIMIT);
        if (!writable) {
            starved = true;
        }
        return writable;
    }

    @Override
    public boolean offer(long bytes, Runnable write) {
        if (inactive) {
            return false;
        }
        if (backlogBytes.addAndGet(bytes) > BACKLOG_BYTES) {
            backlogBytes.addAndGet(-bytes);
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                log.warn("relay connection {} does not keep up: {} broadcasts/events dropped so far",
                        ctx.channel().remoteAddress(), count);
            }
            return false;
        }
        ctx.executor().execute(() -> {
            if (inactive) {
                backlogBytes.addAndGet(-bytes);
                return;
            }
            backlog.add(new Backlogged(bytes, write));
            flushBacklog();
        });
        return true;
    }
}
