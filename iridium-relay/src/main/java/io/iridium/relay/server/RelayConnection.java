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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty driver of one relay connection: feeds the bytes read to a {@link RelayDecoder}, the
 * frames decoded to a {@link RelaySession}, and encodes what the session sends into one outbound
 * buffer that is written and flushed once the event loop has nothing else queued (so a burst of
 * replies costs one system call). A protocol violation is logged with its reason and closes this
 * connection only.
 */
final class RelayConnection extends ChannelInboundHandlerAdapter implements SessionDriver {
    private static final Logger log = LoggerFactory.getLogger(RelayConnection.class);
    private static final int SCRATCH_BYTES = 16 << 10;

    private final Node node;
    private final LocalClusters clusters;
    private final RelayConfig config;
    private final RelayDecoder<ClientFrame> decoder;
    private final ByteBufSink sink = new ByteBufSink();
    private final Object writability = new Object();
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private ChannelHandlerContext ctx;
    private RelaySession session;
    private ByteBuf pending;
    private boolean flushScheduled;
    private boolean closing;
    private volatile boolean inactive;

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
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flushNow();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        inactive = true;
        synchronized (writability) {
            writability.notifyAll();
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        session.onDisconnected();
        context.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        synchronized (writability) {
            writability.notifyAll();
        }
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
    public void awaitWritable() throws InterruptedException {
        synchronized (writability) {
            while (!inactive && !ctx.channel().isWritable()) {
                writability.wait(100);
            }
        }
    }
}
