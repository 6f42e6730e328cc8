package io.iridium.discovery;

import io.iridium.Endpoint;
import java.util.Objects;

/**
 * What a node announces on the LAN: where to reach it, and a random id of the announcing process.
 *
 * <p>A beacon is minimal on purpose: no node id, no network name, no service list. The instance
 * id lets a node recognise (and ignore) its own beacons when the multicast group loops them back,
 * and lets {@link Discovery} notice that a different process now answers at a known endpoint.
 * Beacons are only ever sent sealed (see {@link DatagramSeal}); their wire form is
 * {@link BeaconCodec}'s.
 *
 * @param instanceId a random number drawn once per process
 * @param endpoint   the advertised endpoint; its host is an IP literal or host name of at most
 *                   {@value BeaconCodec#MAX_HOST_LENGTH} characters from {@code [A-Za-z0-9.:%_-]},
 *                   its port 1 to 65535. A wildcard host ({@code 0.0.0.0}, {@code ::}) means
 *                   "the address this datagram came from".
 */
public record Beacon(long instanceId, Endpoint endpoint) {

    /**
     * @throws IllegalArgumentException when the endpoint could not be encoded
     */
    public Beacon {
        Objects.requireNonNull(endpoint, "endpoint");
        String problem = BeaconCodec.problemWith(endpoint.host(), endpoint.port());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
