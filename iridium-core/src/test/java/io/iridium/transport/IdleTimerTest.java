package io.iridium.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle timer fires after a quiet timeout, and reads or writes keep a connection from idling. */
class IdleTimerTest {
    final List<Object> events = new ArrayList<>();
    final EmbeddedChannel channel = new EmbeddedChannel(new IdleTimer(100, TimeUnit.MILLISECONDS),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    events.add(event);
                }
            });

    private void advance(long millis) {
        for (long step = 0; step < millis; step += 5) {
            channel.advanceTimeBy(5, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void quietConnection_firesAllIdleAfterOneTimeoutToOneAndAQuarter_thenAgainEachTimeout() {
        advance(95);
        assertThat(events).isEmpty();
        advance(40);
        assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        advance(100);
        assertThat(events).hasSize(2);
    }

    @Test
    void readsAndWrites_keepTheConnectionBusy() {
        for (int i = 0; i < 10; i++) {
            advance(50);
            if (i % 2 == 0) {
                channel.writeInbound("ping");
            } else {
                channel.writeOutbound("pong");
            }
        }
        assertThat(events).isEmpty();
        advance(200);
        assertThat(events).isNotEmpty();
    }
}
