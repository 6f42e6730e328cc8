package io.iridium.discovery;

import io.iridium.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The dev-mode port range on loopback, where development nodes on one machine find each other
 * with no setting at all.
 *
 * <p>The runtime binds each {@code --dev} node to the first free port of
 * {@value #HOST}:{@value #FIRST_PORT}..{@value #LAST_PORT} and feeds {@link #candidates} of its
 * own endpoint to {@link Discovery} as {@link Discovery.Source#LOOPBACK} candidates,
 * re-announcing them at least once per {@link DiscoveryConfig#announceTtl()} (every few seconds
 * is ideal). A node that starts later than another always finds it, because the earlier one is
 * listening on a port of the range; SWIM gossip then tells each about the rest. At most
 * {@value #SIZE} dev nodes run on one machine; a seventeenth finds no free port.
 *
 * <p>Dev mode uses the well-known development key, so these nodes can never join a real network,
 * and binds only to loopback, so nothing outside the machine can reach them.
 */
public final class LoopbackRange {

    /** The loopback address dev nodes bind to. */
    public static final String HOST = "127.0.0.1";
    /** The first port of the dev range. */
    public static final int FIRST_PORT = 47_100;
    /** The last port of the dev range, inclusive. */
    public static final int LAST_PORT = 47_115;
    /** How many ports the dev range holds, so how many dev nodes one machine can run. */
    public static final int SIZE = LAST_PORT - FIRST_PORT + 1;

    private LoopbackRange() {}

    /** Every endpoint of the range, in port order. */
    public static List<Endpoint> all() {
        List<Endpoint> all = new ArrayList<>(SIZE);
        for (int port = FIRST_PORT; port <= LAST_PORT; port++) {
            all.add(new Endpoint(HOST, port));
        }
        return List.copyOf(all);
    }

    /**
     * The endpoints a dev node should try: every port of the range except its own.
     *
     * @param self the node's own endpoint; if it is not in the range, every port of the range
     * @return an immutable list in port order
     */
    public static List<Endpoint> candidates(Endpoint self) {
        List<Endpoint> out = new ArrayList<>(SIZE);
        for (Endpoint e : all()) {
            if (!e.equals(self)) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /** Whether {@code endpoint} is one of the range's endpoints. */
    public static boolean contains(Endpoint endpoint) {
        return HOST.equals(endpoint.host()) && endpoint.port() >= FIRST_PORT && endpoint.port() <= LAST_PORT;
    }
}
