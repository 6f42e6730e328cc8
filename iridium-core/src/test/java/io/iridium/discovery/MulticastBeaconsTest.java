package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iridium.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MulticastBeacons}: the receive pipeline without sockets, then real multicast.
 *
 * <p>The real tests send only with TTL 0 (nothing leaves this host; the kernel loops the
 * datagrams back locally) to a random organisation-local group, on the first up,
 * multicast-capable, non-loopback interface. They are skipped where there is none, or where
 * the kernel does not loop multicast back.
 */
class MulticastBeaconsTest {

    @RegisterExtension
    final SeedReporter seeds = new SeedReporter();

    static final Duration DEADLINE = Duration.ofSeconds(10);
    static final Endpoint A = new Endpoint("10.0.0.2", 7946);
    static final Endpoint B = new Endpoint("10.0.0.3", 7946);

    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- the receive pipeline, driven directly ----

    static final InetSocketAddress FROM = new InetSocketAddress(ip("192.0.2.7"), 7947);

    MulticastBeacons unstarted(DatagramSeal seal, Beacon own, List<Beacon> sink) {
        return MulticastBeacons.builder(seal, own, sink::add).build();
    }

    @Test
    void onDatagram_sealedBeacon_delivered() {
        List<Beacon> got = new ArrayList<>();
        TestSeal seal = new TestSeal("net-1");
        MulticastBeacons beacons = unstarted(seal, new Beacon(1, A), got);
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(2, B))), FROM);
        assertThat(got).containsExactly(new Beacon(2, B));
        assertThat(beacons.delivered()).isEqualTo(1);
    }

    @Test
    void onDatagram_otherNetworksKeyOrGarbage_droppedAndCounted() {
        List<Beacon> got = new ArrayList<>();
        MulticastBeacons beacons = unstarted(new TestSeal("net-1"), new Beacon(1, A), got);
        beacons.onDatagram(new TestSeal("net-2").seal(BeaconCodec.encode(new Beacon(2, B))), FROM);
        SplittableRandom random = new SplittableRandom(seeds.seed);
        for (int length = 0; length < 300; length++) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            beacons.onDatagram(garbage, FROM);
        }
        assertThat(got).isEmpty();
        assertThat(beacons.rejected()).isEqualTo(301);
    }

    @Test
    void onDatagram_sealedButNotABeacon_droppedAsMalformed() {
        List<Beacon> got = new ArrayList<>();
        TestSeal seal = new TestSeal("net-1");
        MulticastBeacons beacons = unstarted(seal, new Beacon(1, A), got);
        beacons.onDatagram(seal.seal(new byte[] {'I', 'B', 9}), FROM);
        assertThat(got).isEmpty();
        assertThat(beacons.malformed()).isEqualTo(1);
    }

    @Test
    void onDatagram_sealThrows_countedAsRejected() {
        DatagramSeal broken = new DatagramSeal() {
            @Override
            public byte[] seal(byte[] p) {
                return p;
            }

            @Override
            public Optional<byte[]> open(byte[] d) {
                throw new IllegalStateException("bug in the seal");
            }
        };
        MulticastBeacons beacons = unstarted(broken, new Beacon(1, A), new ArrayList<>());
        beacons.onDatagram(new byte[10], FROM);
        assertThat(beacons.rejected()).isEqualTo(1);
    }

    @Test
    void onDatagram_ownBeacon_dropped() {
        List<Beacon> got = new ArrayList<>();
        TestSeal seal = new TestSeal("net-1");
        MulticastBeacons beacons = unstarted(seal, new Beacon(1, A), got);
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(1, A))), FROM);
        assertThat(got).isEmpty();
        assertThat(beacons.ownDropped()).isEqualTo(1);
    }

    @Test
    void onDatagram_wildcardHost_replacedByTheSender() {
        List<Beacon> got = new ArrayList<>();
        TestSeal seal = new TestSeal("net-1");
        MulticastBeacons beacons = unstarted(seal, new Beacon(1, A), got);
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(2, new Endpoint("0.0.0.0", 7000)))), FROM);
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(3, new Endpoint("::", 7001)))), FROM);
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(4, new Endpoint("node.example", 7002)))), FROM);
        assertThat(got).containsExactly(
                new Beacon(2, new Endpoint("192.0.2.7", 7000)),
                new Beacon(3, new Endpoint("192.0.2.7", 7001)),
                new Beacon(4, new Endpoint("node.example", 7002)));
    }

    @Test
    void listenerThrows_nextDatagramStillDelivered() {
        TestSeal seal = new TestSeal("net-1");
        List<Beacon> got = new ArrayList<>();
        MulticastBeacons beacons = MulticastBeacons.builder(seal, new Beacon(1, A), b -> {
            got.add(b);
            throw new IllegalStateException("listener bug");
        }).build();
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(2, B))), FROM);
        beacons.onDatagram(seal.seal(BeaconCodec.encode(new Beacon(3, B))), FROM);
        assertThat(got).hasSize(2);
    }

    @Test
    void start_noUsableInterface_inactiveAndHarmless() throws IOException {
        MulticastBeacons beacons = MulticastBeacons.builder(new TestSeal("k"), new Beacon(1, A), b -> {})
                .networkInterfaces(List.of())
                .build();
        toClose.add(beacons);
        beacons.start();
        assertThat(beacons.isActive()).isFalse();
        assertThat(beacons.interfaces()).isEmpty();
    }

    // ---- real multicast, TTL 0 ----

    @Test
    void twoNodesOneKey_eachHearsTheOtherButNotItself() throws Exception {
        Fixture f = fixture();
        TestSeal seal = new TestSeal("net-1");
        List<Beacon> heardByA = new CopyOnWriteArrayList<>();
        List<Beacon> heardByB = new CopyOnWriteArrayList<>();
        MulticastBeacons a = started(f, seal, new Beacon(1, A), heardByA);
        MulticastBeacons b = started(f, seal, new Beacon(2, B), heardByB);

        await("A to hear B", () -> heardByA.contains(new Beacon(2, B)));
        await("B to hear A", () -> heardByB.contains(new Beacon(1, A)));
        await("each to hear itself and drop it", () -> a.ownDropped() > 0 && b.ownDropped() > 0);
        await("a second announcement", () -> a.sent() >= 2);
        assertThat(heardByA).containsOnly(new Beacon(2, B));
        assertThat(heardByB).containsOnly(new Beacon(1, A));
        assertThat(a.interfaces()).containsExactly(f.nif);
    }

    @Test
    void otherNetworksBeaconsAndGarbage_droppedCountedNeverDelivered() throws Exception {
        Fixture f = fixture();
        List<Beacon> heard = new CopyOnWriteArrayList<>();
        MulticastBeacons ours = started(f, new TestSeal("net-1"), new Beacon(1, A), heard);
        MulticastBeacons theirs = started(f, new TestSeal("net-2"), new Beacon(2, B), new CopyOnWriteArrayList<>());

        try (DatagramChannel raw = sender(f)) {
            raw.send(ByteBuffer.wrap("not a beacon at all".getBytes()), f.group);
            await("their beacons and the garbage to be rejected", () -> ours.rejected() >= 2 && theirs.rejected() >= 1);
        }
        await("our own beacon to loop back", () -> ours.ownDropped() > 0);
        assertThat(heard).isEmpty();
        assertThat(ours.delivered()).isZero();
    }

    @Test
    void close_stopsSendingAndReceiving() throws Exception {
        Fixture f = fixture();
        MulticastBeacons a = started(f, new TestSeal("net-1"), new Beacon(1, A), new CopyOnWriteArrayList<>());
        await("a first announcement", () -> a.sent() >= 1);
        a.close();
        assertThat(a.isActive()).isFalse();
        long sent = a.sent();
        List<Beacon> heard = new CopyOnWriteArrayList<>();
        MulticastBeacons b = started(f, new TestSeal("net-1"), new Beacon(2, B), heard);
        await("B to announce a few times", () -> b.sent() >= 3);
        assertThat(a.sent()).isEqualTo(sent);
        assertThat(heard).doesNotContain(new Beacon(1, A));
        a.close(); // idempotent
    }

    // ---- fixture ----

    record Fixture(NetworkInterface nif, InetSocketAddress group) {}

    /** A usable interface and a fresh group, or a skipped test saying why not. */
    Fixture fixture() throws IOException, InterruptedException {
        List<NetworkInterface> usable = MulticastBeacons.multicastInterfaces(StandardProtocolFamily.INET);
        assumeTrue(!usable.isEmpty(),
                "no up, multicast-capable, non-loopback IPv4 interface on this machine: multicast tests skipped");
        SplittableRandom random = new SplittableRandom(seeds.seed);
        InetAddress groupAddress = InetAddress.getByAddress(new byte[] {
            (byte) 239, (byte) 255, (byte) (1 + random.nextInt(254)), (byte) (1 + random.nextInt(254))});
        int port;
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        Fixture f = new Fixture(usable.get(0), new InetSocketAddress(groupAddress, port));
        assumeTrue(loopsBack(f), "multicast with TTL 0 does not loop back on " + f.nif.getName()
                + " here: multicast tests skipped");
        return f;
    }

    /** Whether a TTL-0 datagram to the group comes back to a member socket on this host. */
    static boolean loopsBack(Fixture f) throws IOException, InterruptedException {
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel tx = sender(f);
                Selector selector = Selector.open()) {
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(f.group.getPort()));
            rx.join(f.group.getAddress(), f.nif);
            rx.configureBlocking(false);
            rx.register(selector, SelectionKey.OP_READ);
            byte[] marker = "iridium-probe".getBytes();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (System.nanoTime() < deadline) {
                tx.send(ByteBuffer.wrap(marker), f.group);
                if (selector.select(200) > 0) {
                    selector.selectedKeys().clear();
                    buffer.clear();
                    if (rx.receive(buffer) != null) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** A raw sender on the fixture's interface: TTL 0, loop-back on. */
    static DatagramChannel sender(Fixture f) throws IOException {
        DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET);
        tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, f.nif);
        tx.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        return tx;
    }

    MulticastBeacons started(Fixture f, DatagramSeal seal, Beacon own, List<Beacon> sink) throws IOException {
        MulticastBeacons beacons = MulticastBeacons.builder(seal, own, sink::add)
                .group(f.group)
                .networkInterfaces(List.of(f.nif))
                .ttl(0)
                .interval(Duration.ofMillis(50))
                .random(new SplittableRandom(seeds.seed))
                .build();
        toClose.add(beacons);
        beacons.start();
        assertThat(beacons.isActive()).isTrue();
        return beacons;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
