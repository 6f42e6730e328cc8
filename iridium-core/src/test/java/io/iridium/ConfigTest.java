package io.iridium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The I/O threads' polling budget: its default, off at zero, and bounds named when broken. */
class ConfigTest {

    @Test
    void ioSpin_defaultsTo50Microseconds_andZeroTurnsPollingOff() {
        assertThat(Config.builder().dev(true).build().ioSpin()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(Config.builder().dev(true).ioSpin(Duration.ZERO).build().ioSpin()).isZero();
        assertThat(Config.builder().dev(true).ioSpin(Config.MAX_IO_SPIN).build().ioSpin()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void ioSpin_negativeOrPastTenMilliseconds_isRefusedByName() {
        assertThatThrownBy(() -> Config.builder().dev(true).ioSpin(Duration.ofNanos(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioSpin");
        assertThatThrownBy(() -> Config.builder().dev(true).ioSpin(Duration.ofMillis(11)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioSpin must be between 0 and 10 ms");
        assertThatThrownBy(() -> Config.builder().dev(true).ioSpin(null).build())
                .isInstanceOf(NullPointerException.class);
    }
}
