package io.iridium.data.crdt;

import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.clock.HybridLogicalClock;
import java.util.Random;

/**
 * One hybrid logical clock per simulated replica, over skewed physical clocks that wander
 * forwards and sometimes backwards.
 */
final class Clocks {

    private final long[] physical;
    private final HybridLogicalClock[] clocks;

    Clocks(int replicas) {
        physical = new long[replicas];
        clocks = new HybridLogicalClock[replicas];
        for (int i = 0; i < replicas; i++) {
            int replica = i;
            physical[i] = 1_000 + 37L * i;
            clocks[i] = new HybridLogicalClock(() -> physical[replica], 1_000);
        }
    }

    /** A fresh timestamp at {@code replica}, after its physical clock moved by -3..+9 ms. */
    HlcTimestamp next(int replica, Random random) {
        physical[replica] += random.nextInt(13) - 3;
        return clocks[replica].now();
    }
}
