package io.iridium.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The recycling of full-size tunnel chunk arrays: an array comes back only when Netty releases the
 * buffer that wraps it, only full-size arrays are kept, and no more than the bound.
 */
@Isolated("the pool is per JVM")
class TunnelChunksTest {
    final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @BeforeEach
    void emptyPool() {
        TunnelChunks.clear();
    }

    @Test
    void take_afterTheWrappingBufferIsReleased_returnsTheSameArray() {
        byte[] chunk = TunnelChunks.take(TunnelChunks.LENGTH);
        Arrays.fill(chunk, (byte) 7);
        ByteBuf wrapped = TunnelChunks.wrap(alloc, chunk);
        assertThat(wrapped.readableBytes()).isEqualTo(TunnelChunks.LENGTH);
        assertThat(wrapped.getByte(TunnelChunks.LENGTH - 1)).isEqualTo((byte) 7);

        assertThat(wrapped.release()).isTrue();

        assertThat(TunnelChunks.kept()).isEqualTo(1);
        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).isSameAs(chunk);
        assertThat(TunnelChunks.kept()).isZero();
    }

    @Test
    void wrap_retainedBuffer_keepsItsArrayUntilTheLastRelease() {
        byte[] chunk = TunnelChunks.take(TunnelChunks.LENGTH);
        ByteBuf wrapped = TunnelChunks.wrap(alloc, chunk);
        wrapped.retain();

        wrapped.release();
        assertThat(TunnelChunks.kept()).as("still referenced once").isZero();
        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).isNotSameAs(chunk);

        wrapped.release();
        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).isSameAs(chunk);
    }

    @Test
    void take_otherLengths_areFreshAndNeverKept() {
        byte[] small = TunnelChunks.take(1000);
        assertThat(small).hasSize(1000);

        TunnelChunks.wrap(alloc, small).release();
        TunnelChunks.wrap(alloc, new byte[TunnelChunks.LENGTH + 1]).release();

        assertThat(TunnelChunks.kept()).isZero();
        assertThat(TunnelChunks.take(1000)).isNotSameAs(small);
    }

    @Test
    void give_pastTheBound_dropsTheSurplus() {
        for (int i = 0; i < TunnelChunks.MAX_KEPT + 10; i++) {
            TunnelChunks.wrap(alloc, new byte[TunnelChunks.LENGTH]).release();
        }

        assertThat(TunnelChunks.kept()).isEqualTo(TunnelChunks.MAX_KEPT);
    }

    @Test
    void take_returnsTheMostRecentlyReleasedFirst() {
        byte[] older = new byte[TunnelChunks.LENGTH];
        byte[] newer = new byte[TunnelChunks.LENGTH];
        TunnelChunks.wrap(alloc, older).release();
        TunnelChunks.wrap(alloc, newer).release();

        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).as("the warmest").isSameAs(newer);
        assertThat(TunnelChunks.take(TunnelChunks.LENGTH)).isSameAs(older);
    }
}
