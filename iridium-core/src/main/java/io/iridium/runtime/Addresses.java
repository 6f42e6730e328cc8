package io.iridium.runtime;

import io.iridium.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node is, as the runtime works it out before the protocol loop starts: the address to
 * advertise for a wildcard bind, whether a host is loopback, a default node name, and seeds
 * resolved from names to IP literals. Everything here may block on the system's resolver, so it
 * runs on the starting thread, never on an event loop.
 */
final class Addresses {
    private static final Logger log = LoggerFactory.getLogger(Addresses.class);

    private Addresses() {}

    static Endpoint advertisedFor(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (!address.isAnyLocalAddress()) {
            return new Endpoint(address.getHostAddress(), bound.getPort());
        }
        return new Endpoint(firstSiteAddress().orElse("127.0.0.1"), bound.getPort());
    }

    /** The first IPv4 address of an up, non-loopback interface: what peers on the LAN can reach. */
    static Optional<String> firstSiteAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isPointToPoint()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof java.net.Inet4Address && !address.isLinkLocalAddress()) {
                        return Optional.of(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces: {}", e.toString());
        }
        return Optional.empty();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * Seeds given as host names are resolved here, once, on the starting thread: the protocol
     * loop sends datagrams to IP literals and never waits for DNS. A name that does not resolve
     * now is kept, and logged; discovery keeps trying it.
     */
    static List<Endpoint> resolved(List<Endpoint> seeds) {
        List<Endpoint> result = new ArrayList<>(seeds.size());
        for (Endpoint seed : seeds) {
            try {
                result.add(new Endpoint(InetAddress.getByName(seed.host()).getHostAddress(), seed.port()));
            } catch (IOException e) {
                log.warn("seed {} does not resolve now ({}); will keep trying it", seed, e.getMessage());
                result.add(seed);
            }
        }
        return result;
    }
}
