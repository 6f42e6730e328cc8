package io.iridium.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.security.ReplayGuard.Nonce;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final long WINDOW = 1_000;

    @Test
    void firstSeen_newNonce_acceptedOnceOnly() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 10);

        assertThat(guard.firstSeen(new Nonce(1, 1), 100, 100)).isTrue();
        assertThat(guard.firstSeen(new Nonce(1, 1), 100, 200)).isFalse();
        assertThat(guard.firstSeen(new Nonce(1, 2), 100, 200)).isTrue();
    }

    @Test
    void firstSeen_afterTheWindow_forgetsNonceAndRefusesItsTimestampForever() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 10);
        guard.firstSeen(new Nonce(1, 1), 100, 100);

        assertThat(guard.firstSeen(new Nonce(9, 9), 1_200, 1_200)).isTrue();

        assertThat(guard.size()).isEqualTo(1);
        // The clock steps back: the forgotten nonce's timestamp is still refused.
        assertThat(guard.firstSeen(new Nonce(1, 1), 100, 500)).isFalse();
    }

    @Test
    void firstSeen_full_evictsTheOldestAndRefusesAnythingAsOldAsIt() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 3);
        guard.firstSeen(new Nonce(0, 10), 10, 50);
        guard.firstSeen(new Nonce(0, 30), 30, 50);
        guard.firstSeen(new Nonce(0, 20), 20, 50);

        assertThat(guard.firstSeen(new Nonce(0, 5), 5, 50)).as("older than everything held").isFalse();
        assertThat(guard.firstSeen(new Nonce(0, 40), 40, 50)).isTrue();

        assertThat(guard.size()).isEqualTo(3);
        assertThat(guard.firstSeen(new Nonce(0, 10), 10, 50)).as("the evicted nonce replayed").isFalse();
        assertThat(guard.firstSeen(new Nonce(0, 11), 10, 50)).as("at the floor").isFalse();
        assertThat(guard.firstSeen(new Nonce(0, 12), 11, 50)).as("above the floor, but full of newer").isFalse();
        assertThat(guard.firstSeen(new Nonce(0, 50), 50, 50)).isTrue();
    }

    /**
     * Safety against a reference model with unbounded memory: whatever the capacity, the clock's
     * steps (backwards too) and the order of arrivals, the guard never accepts a datagram twice.
     * As in {@link DatagramSealer}, a datagram's nonce comes with a fixed timestamp (a replay
     * carries the original's authenticated timestamp), and the guard is asked only about
     * datagrams that passed the freshness check.
     */
    @Property(tries = 300)
    void firstSeen_anyArrivals_neverAcceptsADatagramTwice(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 30) Integer> datagrams,
            @ForAll @Size(max = 300) List<@IntRange(min = -200, max = 400) Integer> clockSteps,
            @ForAll @Size(min = 31, max = 31) List<@IntRange(min = 0, max = 5_000) Integer> sentAt,
            @ForAll @IntRange(min = 1, max = 8) int capacity) {
        ReplayGuard guard = new ReplayGuard(WINDOW, capacity);
        Set<Integer> everAccepted = new HashSet<>();
        long now = 0;
        for (int i = 0; i < Math.min(datagrams.size(), clockSteps.size()); i++) {
            now += clockSteps.get(i);
            int datagram = datagrams.get(i);
            long timestamp = sentAt.get(datagram);
            if (Math.abs(now - timestamp) > WINDOW) {
                continue; // stale: the sealer rejects it before asking the guard
            }
            if (guard.firstSeen(new Nonce(datagram, datagram), timestamp, now)) {
                assertThat(everAccepted.add(datagram)).as("datagram %d accepted twice", datagram).isTrue();
            }
            assertThat(guard.size()).isLessThanOrEqualTo(capacity);
        }
    }
}
