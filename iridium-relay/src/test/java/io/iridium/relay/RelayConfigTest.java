package io.iridium.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Config;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The relay's I/O threads poll as a node's do by default; zero turns it off; bad budgets are named. */
class RelayConfigTest {

    @Test
    void ioSpin_defaultsToTheNodes_andZeroTurnsPollingOff() {
        assertThat(RelayConfig.builder().build().ioSpin()).isEqualTo(Config.DEFAULT_IO_SPIN);
        assertThat(RelayConfig.builder().ioSpin(Duration.ZERO).build().ioSpin()).isZero();
    }

    @Test
    void ioSpin_negativeOrPastTheNodesBound_isRefusedByName() {
        assertThatThrownBy(() -> RelayConfig.builder().ioSpin(Duration.ofNanos(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioSpin");
        assertThatThrownBy(() -> RelayConfig.builder().ioSpin(Config.MAX_IO_SPIN.plusNanos(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioSpin must be between 0 and 10 ms");
    }
}
