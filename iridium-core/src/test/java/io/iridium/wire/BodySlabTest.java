package io.iridium.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Packing small event bodies into recycled slabs: consecutive bodies share a slab until one does
 * not fit, and a slab's array goes back to the pool only when the decoder has left it and every
 * body's hold was released, never before.
 */
@Isolated("the array pool is per JVM")
class BodySlabTest {
    final BodySlab.Packer packer = new BodySlab.Packer();

    @BeforeEach
    void emptyPool() {
        TunnelChunks.clear();
    }

    static ByteBuf bytes(int length, int fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return Unpooled.wrappedBuffer(bytes);
    }

    @Test
    void consecutiveBodies_arePackedSideBySide_inOneSlab() {
        int first = packer.pack(bytes(100, 1), 100);
        BodySlab slab = packer.slab();
        int second = packer.pack(bytes(50, 2), 50);

        assertThat(packer.slab()).isSameAs(slab);
        assertThat(first).isZero();
        assertThat(second).isEqualTo(100);
        assertThat(slab.array()[99]).isEqualTo((byte) 1);
        assertThat(slab.array()[100]).isEqualTo((byte) 2);
        assertThat(slab.array()[149]).isEqualTo((byte) 2);
    }

    @Test
    void aBodyThatDoesNotFit_startsANewSlab() {
        int body = BodySlab.MAX_PACKED_BODY;
        int fit = TunnelChunks.LENGTH / body;
        for (int i = 0; i < fit; i++) {
            packer.pack(bytes(body, i), body);
        }
        BodySlab full = packer.slab();

        assertThat(packer.pack(bytes(1, 9), 1)).isZero();
        assertThat(packer.slab()).isNotSameAs(full);
    }

    @Test
    void onlyNonEmptyBodiesUpToTheLimit_arePacked() {
        assertThat(BodySlab.Packer.packs(0)).isFalse();
        assertThat(BodySlab.Packer.packs(1)).isTrue();
        assertThat(BodySlab.Packer.packs(BodySlab.MAX_PACKED_BODY)).isTrue();
        assertThat(BodySlab.Packer.packs(BodySlab.MAX_PACKED_BODY + 1)).isFalse();
    }

    @Test
    void theArrayGoesBack_onlyAfterTheDecoderLeftAndEveryHoldWasReleased() {
        packer.pack(bytes(10, 1), 10);
        BodySlab slab = packer.slab();
        packer.pack(bytes(10, 2), 10);
        packer.pack(bytes(10, 3), 10);

        slab.release(1);
        slab.release(1);
        slab.release(1); // every body read before the decoder left: the bias keeps the slab out of the pool
        assertThat(TunnelChunks.kept()).isZero();

        packer.leave();
        assertThat(packer.slab()).isNull();
        assertThat(TunnelChunks.kept()).as("left with nothing held: back at once").isEqualTo(1);
        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).isSameAs(slab.array());
    }

    @Test
    void holdsReleasedAfterTheDecoderLeft_returnTheArrayWithTheLastOne() {
        packer.pack(bytes(10, 1), 10);
        BodySlab slab = packer.slab();
        packer.pack(bytes(10, 2), 10);
        packer.leave();
        assertThat(slab.holds()).isEqualTo(2);

        slab.retain(2); // a body shown to three readers
        slab.release(1);
        slab.release(2);
        assertThat(TunnelChunks.kept()).isZero();

        slab.release(1);
        assertThat(TunnelChunks.kept()).isEqualTo(1);
    }

    @Test
    void releasingMoreThanHeld_isCaughtAsABug() {
        packer.pack(bytes(10, 1), 10);
        BodySlab slab = packer.slab();
        packer.leave();

        slab.release(1);
        assertThatThrownBy(() -> slab.release(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released 1 times more than held");
    }

    @Test
    void decoder_packsOneReadsSmallEventBodies_andLeavesTheSlabWhenTheReadEnds() {
        List<WireMessage.Publish> sent = List.of(
                new WireMessage.Publish("a", new byte[] {1, 2, 3}),
                new WireMessage.Publish("b", new byte[BodySlab.MAX_PACKED_BODY + 1]),
                new WireMessage.Publish("c", new byte[0]),
                new WireMessage.Publish("d", new byte[] {4, 5}));
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frames.MAX));

        channel.writeInbound(Unpooled.wrappedBuffer(Frames.encodeAll(sent))); // one read, then its end
        List<WireMessage.Publish> received = new ArrayList<>();
        for (WireMessage message; (message = channel.readInbound()) != null; ) {
            received.add((WireMessage.Publish) message);
        }

        assertThat(received).containsExactlyElementsOf(sent);
        BodySlab slab = received.get(0).slab();
        assertThat(slab).as("small: packed").isNotNull();
        assertThat(received.get(3).slab()).as("packed beside the first").isSameAs(slab);
        assertThat(received.get(3).offset()).isEqualTo(3);
        assertThat(received.get(1).slab()).as("large: an array of its own").isNull();
        assertThat(received.get(2).slab()).as("empty: nothing to pack").isNull();
        assertThat(slab.holds()).as("the read ended: one hold per packed body, the bias gone").isEqualTo(2);

        received.get(0).slab().release(1);
        received.get(3).slab().release(1);
        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).isSameAs(slab.array());
        channel.finishAndReleaseAll();
    }

    @Test
    void decoderThatIsToldNotToPack_decodesEveryBodyIntoAnArrayOfItsOwn() {
        WireMessage.Publish sent = new WireMessage.Publish("a", new byte[] {1, 2, 3});
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frames.MAX, () -> false));

        channel.writeInbound(Unpooled.wrappedBuffer(Frames.encode(sent)));
        WireMessage.Publish received = channel.readInbound();

        assertThat(received).isEqualTo(sent);
        assertThat(received.slab()).isNull();
        assertThat(received.array()).as("the body itself, for a handler to take").hasSize(3);
        channel.finishAndReleaseAll();
    }
}
