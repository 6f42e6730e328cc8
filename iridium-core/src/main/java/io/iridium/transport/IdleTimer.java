package io.iridium.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a connection has neither read nor written
 * for its idle timeout, and again each further timeout while it stays quiet.
 *
 * <p>Netty's {@code IdleStateHandler} watching writes attaches a listener to every write's
 * promise (turning void promises into real ones) to learn when it completed: an allocation and a
 * callback per frame on the data plane's hottest path. This handler only notes, in a plain field,
 * that a read or write happened; a timer checks the note {@link #CHECKS_PER_TIMEOUT} times per
 * timeout and fires after that many quiet checks in a row. The event therefore comes between one
 * timeout and one timeout plus a quarter after the last activity, which is all an idle close
 * needs. A write counts when it is handed to the pipeline, not when it reaches the socket.
 *
 * <p>Runs on the channel's event loop only; no field needs more than plain access.
 */
final class IdleTimer extends ChannelDuplexHandler {
    static final int CHECKS_PER_TIMEOUT = 4;

    private final long checkNanos;
    private boolean active;
    private int quietChecks;
    private ScheduledFuture<?> check;

    IdleTimer(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        if (nanos <= 0) {
            throw new IllegalArgumentException("the idle timeout must be positive, got " + timeout + " " + unit);
        }
        this.checkNanos = Math.max(1, nanos / CHECKS_PER_TIMEOUT);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        active = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        active = true;
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (check == null) {
            active = true;
            schedule(ctx);
        }
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
        }
    }

    private void schedule(ChannelHandlerContext ctx) {
        check = ctx.executor().schedule(() -> onCheck(ctx), checkNanos, TimeUnit.NANOSECONDS);
    }

    private void onCheck(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        if (active) {
            active = false;
            quietChecks = 0;
        } else if (++quietChecks >= CHECKS_PER_TIMEOUT) {
            quietChecks = 0;
            ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }
        schedule(ctx);
    }
}
