package io.iridium.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iridium.Endpoint;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DnsSeedResolver} against a real DNS server on 127.0.0.1 (see {@link TestDnsServer}). */
class DnsSeedResolverTest {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    TestDnsServer dns;
    EventLoopGroup group;
    final List<List<Endpoint>> delivered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws InterruptedException {
        dns = new TestDnsServer();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        dns.close();
    }

    DnsSeedResolver resolver(String name) {
        return DnsSeedResolver.builder(name, group, delivered::add)
                .nameServers(List.of(dns.address()))
                .queryTimeout(Duration.ofSeconds(2))
                .refreshInterval(Duration.ofMillis(50))
                .build();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static List<Endpoint> resolve(DnsSeedResolver resolver) throws Exception {
        return resolver.resolveOnce().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
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

    @Test
    void resolveOnce_aRecords_endpointsOnTheDefaultPort() throws Exception {
        dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.11"), ip("10.0.0.12"), ip("fd00::13")));
        try (DnsSeedResolver resolver = resolver("nodes.iridium.test")) {
            assertThat(resolve(resolver)).containsExactlyInAnyOrder(
                    new Endpoint("10.0.0.11", 7946), new Endpoint("10.0.0.12", 7946), new Endpoint("fd00:0:0:0:0:0:0:13", 7946));
        }
        assertThat(dns.questions).contains("SRV _iridium._udp.nodes.iridium.test", "A nodes.iridium.test");
    }

    @Test
    void resolveOnce_nameWithPort_aRecordsWithThatPortAndNoSrvQuery() throws Exception {
        dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.11")));
        try (DnsSeedResolver resolver = resolver("nodes.iridium.test:7000")) {
            assertThat(resolve(resolver)).containsExactly(new Endpoint("10.0.0.11", 7000));
        }
        assertThat(dns.questions).noneMatch(q -> q.startsWith("SRV"));
    }

    @Test
    void resolveOnce_srvName_targetsWithTheirPorts() throws Exception {
        dns.setServices("_iridium._udp.svc.iridium.test", List.of(
                new TestDnsServer.Srv(0, 10, 8001, "pod-a.svc.iridium.test"),
                new TestDnsServer.Srv(0, 10, 8002, "pod-b.svc.iridium.test"),
                new TestDnsServer.Srv(0, 0, 0, "."),
                new TestDnsServer.Srv(0, 10, 8003, "gone.svc.iridium.test")));
        dns.setAddresses("pod-a.svc.iridium.test", List.of(ip("10.1.0.1")));
        dns.setAddresses("pod-b.svc.iridium.test", List.of(ip("10.1.0.2"), ip("10.1.0.3")));
        try (DnsSeedResolver resolver = resolver("_iridium._udp.svc.iridium.test")) {
            assertThat(resolve(resolver)).containsExactlyInAnyOrder(
                    new Endpoint("10.1.0.1", 8001), new Endpoint("10.1.0.2", 8002), new Endpoint("10.1.0.3", 8002));
        }
    }

    @Test
    void resolveOnce_srvTargetWithCompressedName_followsThePointer() throws Exception {
        // The question "_iridium._udp.svc.iridium.test" sits at offset 12; "svc.iridium.test" at 26.
        dns.setServices("_iridium._udp.svc.iridium.test", List.of(
                new TestDnsServer.Srv(0, 10, 8001, "pod-a", 12 + 1 + 8 + 1 + 4)));
        dns.setAddresses("pod-a.svc.iridium.test", List.of(ip("10.1.0.1")));
        try (DnsSeedResolver resolver = resolver("_iridium._udp.svc.iridium.test")) {
            assertThat(resolve(resolver)).containsExactly(new Endpoint("10.1.0.1", 8001));
        }
        assertThat(dns.questions).contains("A pod-a.svc.iridium.test");
    }

    @Test
    void resolveOnce_headlessServiceWithSrv_prefersSrvPortsOverTheDefault() throws Exception {
        // Like a Kubernetes headless service: A records for the pods, and SRV for the named port.
        dns.setAddresses("iridium.default.svc.cluster.local", List.of(ip("10.2.0.1"), ip("10.2.0.2")));
        dns.setServices("_iridium._udp.iridium.default.svc.cluster.local", List.of(
                new TestDnsServer.Srv(0, 50, 7000, "10-2-0-1.iridium.default.svc.cluster.local"),
                new TestDnsServer.Srv(0, 50, 7000, "10-2-0-2.iridium.default.svc.cluster.local")));
        dns.setAddresses("10-2-0-1.iridium.default.svc.cluster.local", List.of(ip("10.2.0.1")));
        dns.setAddresses("10-2-0-2.iridium.default.svc.cluster.local", List.of(ip("10.2.0.2")));
        try (DnsSeedResolver resolver = resolver("iridium.default.svc.cluster.local")) {
            assertThat(resolve(resolver)).containsExactlyInAnyOrder(
                    new Endpoint("10.2.0.1", 7000), new Endpoint("10.2.0.2", 7000));
        }
    }

    @Test
    void resolveOnce_nxdomain_emptyCountedAndExplained() throws Exception {
        try (DnsSeedResolver resolver = resolver("missing.iridium.test")) {
            assertThat(resolve(resolver)).isEmpty();
            assertThat(resolver.emptyRounds()).isEqualTo(1);
            assertThat(resolver.lastProblem()).hasValueSatisfying(why -> assertThat(why)
                    .contains("missing.iridium.test").contains("UnknownHostException"));
        }
    }

    @Test
    void resolveOnce_srvNameThatDoesNotExist_emptyWithoutAddressFallback() throws Exception {
        try (DnsSeedResolver resolver = resolver("_iridium._udp.missing.iridium.test")) {
            assertThat(resolve(resolver)).isEmpty();
        }
        assertThat(dns.questions).allMatch(q -> q.startsWith("SRV"));
    }

    @Test
    void start_recordsChange_sinkSeesEachRefresh() throws Exception {
        dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.11")));
        try (DnsSeedResolver resolver = resolver("nodes.iridium.test")) {
            resolver.start();
            await("the first round", () -> delivered.contains(List.of(new Endpoint("10.0.0.11", 7946))));

            dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.11"), ip("10.0.0.12")));
            await("the refreshed records", () -> delivered.stream().anyMatch(
                    eps -> eps.contains(new Endpoint("10.0.0.12", 7946))));

            dns.remove("nodes.iridium.test");
            await("an empty round", () -> !delivered.isEmpty() && delivered.get(delivered.size() - 1).isEmpty());

            dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.13")));
            await("recovery", () -> delivered.stream().anyMatch(
                    eps -> eps.contains(new Endpoint("10.0.0.13", 7946))));
            assertThat(resolver.rounds()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void close_stopsTheSchedule() throws Exception {
        dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.11")));
        DnsSeedResolver resolver = resolver("nodes.iridium.test");
        resolver.start();
        await("a round", () -> !delivered.isEmpty());
        resolver.close();
        // A round already in flight may still finish; after that nothing more is delivered.
        await("quiet", () -> resolver.rounds() == delivered.size() || resolver.rounds() == delivered.size() + 1);
        int settled = delivered.size();
        long questions = dns.questions.size();
        group.schedule(() -> {}, 200, TimeUnit.MILLISECONDS).sync();
        assertThat(delivered).hasSize(settled);
        assertThat(dns.questions.size()).isLessThanOrEqualTo((int) questions + 2);
        assertThatThrownBy(resolver::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resolveOnce_onAnEpollGroup_picksEpollChannels() throws Exception {
        assumeTrue(Epoll.isAvailable(), "no native epoll here");
        EventLoopGroup epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        dns.setAddresses("nodes.iridium.test", List.of(ip("10.0.0.11")));
        try (DnsSeedResolver resolver = DnsSeedResolver.builder("nodes.iridium.test", epoll, delivered::add)
                .nameServers(List.of(dns.address()))
                .build()) {
            assertThat(resolve(resolver)).containsExactly(new Endpoint("10.0.0.11", 7946));
        } finally {
            epoll.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Test
    void builder_srvNameWithPort_rejected() {
        assertThatThrownBy(() -> resolver("_iridium._udp.svc.test:7000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SRV");
    }
}
