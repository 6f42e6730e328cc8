package io.iridium.runtime;

import io.iridium.discovery.DatagramSeal;
import io.iridium.security.DatagramSealer;
import io.iridium.security.OpenResult;
import java.util.Optional;

/**
 * Adapts a {@link DatagramSealer} (single-threaded) to discovery's {@link DatagramSeal}, which
 * multicast calls from a sending and a receiving thread: one lock, held for one AES-GCM pass.
 */
final class SynchronizedSeal implements DatagramSeal {
    private final DatagramSealer sealer;

    SynchronizedSeal(DatagramSealer sealer) {
        this.sealer = sealer;
    }

    @Override
    public synchronized byte[] seal(byte[] payload) {
        return sealer.seal(payload);
    }

    @Override
    public synchronized Optional<byte[]> open(byte[] datagram) {
        return sealer.open(datagram) instanceof OpenResult.Opened opened
                ? Optional.of(opened.payload())
                : Optional.empty();
    }
}
