package io.iridium.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.NodeId;
import io.iridium.Subscription;
import io.iridium.TopicLimits;
import io.iridium.transport.SendResult;
import io.iridium.wire.FrameDecoder;
import io.iridium.wire.FrameEncoder;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's messenger asks its decoders to pack event bodies only while some subscription reads in
 * place, and a packed event reaches a reader in place and a handler as an array of its own.
 */
class MessengerInPlaceTest {
    final Messenger messenger = new Messenger(NodeId.random(new Random(7)), new FrameSender() {
        @Override
        public SendResult send(Target to, WireMessage message) {
            throw new AssertionError("nothing is sent");
        }

        @Override
        public SendResult reply(NodeId to, WireMessage message) {
            throw new AssertionError("nothing is sent");
        }
    }, () -> RouteTable.EMPTY, () -> {}, new SimpleMeterRegistry(), 1 << 20);

    @AfterEach
    void close() {
        messenger.close();
    }

    @Test
    void bodiesArePacked_onlyWhileAnInPlaceReaderIsSubscribed() {
        messenger.subscribe("ticks", (topic, event) -> {}, TopicLimits.DEFAULT);
        assertThat(messenger.readsEventsInPlace()).as("handlers only").isFalse();

        Subscription reader = messenger.subscribeInPlace("ticks.>", (topic, event) -> {}, TopicLimits.DEFAULT);
        assertThat(messenger.readsEventsInPlace()).isTrue();

        reader.close();
        reader.close();
        assertThat(messenger.readsEventsInPlace()).as("closed, once however often").isFalse();
    }

    @Test
    void aPackedEvent_reachesAReaderInPlace_andAHandlerAsAnArrayOfItsOwn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        messenger.subscribeInPlace("ticks", (topic, event) -> seen.add("reader " + event.isReadOnly() + " "
                + event.remaining() + " " + event.get(event.position() + 2)), TopicLimits.DEFAULT);
        messenger.subscribe("ticks", (topic, event) -> seen.add("handler " + event.length + " " + event[2]),
                TopicLimits.DEFAULT);
        EmbeddedChannel wire = new EmbeddedChannel(new FrameEncoder(1 << 20));
        wire.writeOutbound(new WireMessage.Publish("other", new byte[] {9, 9, 9, 9}),
                new WireMessage.Publish("ticks", new byte[] {1, 2, 3}));
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(1 << 20, messenger::readsEventsInPlace));
        List<ByteBuf> frames = new ArrayList<>();
        for (ByteBuf frame; (frame = wire.readOutbound()) != null; ) {
            frames.add(frame);
        }
        decoder.writeInbound(Unpooled.wrappedBuffer(frames.toArray(ByteBuf[]::new))); // one read
        WireMessage.Publish other = decoder.readInbound();
        WireMessage.Publish ticks = decoder.readInbound();
        assertThat(ticks.slab()).as("packed, beside the first event").isNotNull().isSameAs(other.slab());
        assertThat(ticks.body()).as("read before the holds go: the slab is reused after").containsExactly(1, 2, 3);

        NodeId peer = NodeId.random(new Random(8));
        messenger.onInboundFrame(peer, other);
        messenger.onInboundFrame(peer, ticks);
        messenger.onReadComplete();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(seen).containsExactlyInAnyOrder("reader true 3 3", "handler 3 3");
        wire.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
