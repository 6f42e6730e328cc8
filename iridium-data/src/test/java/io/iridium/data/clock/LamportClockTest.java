package io.iridium.data.clock;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LamportClockTest {

    @Property
    void receive_anyRemote_isAfterBothClocks(@ForAll @LongRange(max = 1L << 40) long local,
                                             @ForAll @LongRange(max = 1L << 40) long remote) {
        LamportClock received = new LamportClock(local).receive(new LamportClock(remote));
        assertThat(received.time()).isGreaterThan(local).isGreaterThan(remote);
    }

    @Test
    void tick_advancesByOne() {
        assertThat(LamportClock.ZERO.tick().tick()).isEqualTo(new LamportClock(2));
        assertThat(LamportClock.codec().decode(LamportClock.codec().encode(new LamportClock(300))))
                .isEqualTo(new LamportClock(300));
    }
}
