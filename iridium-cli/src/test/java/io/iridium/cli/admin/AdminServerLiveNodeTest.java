package io.iridium.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.Subscription;
import io.iridium.security.NetworkKey;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin API of a real dev-mode node, started in this JVM on a free loopback port. */
final class AdminServerLiveNodeTest {

    @Test
    @Timeout(60)
    void status_realDevNode_listsThatNodeAsSelfAndAlive() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new UptimeMetrics().bindTo(registry);
        Config config = Config.builder().dev(true).bind(new Endpoint("127.0.0.1", 0)).name("admin-test")
                .meterRegistry(registry).build();
        try (Node node = Iridium.start(config);
                AdminServer server = AdminServer.start(node, registry, new Endpoint("127.0.0.1", 0))) {

            HttpResponse<String> status = HttpGet.get(server.uri().resolve("/status"));
            HttpResponse<String> metrics = HttpGet.get(server.uri().resolve("/metrics"));

            assertThat(status.statusCode()).isEqualTo(200);
            StatusDocument document = StatusDocument.fromJson(status.body());
            assertThat(document.self().id()).isEqualTo(node.self().id().toHex());
            assertThat(document.self().name()).isEqualTo("admin-test");
            assertThat(document.self().address()).isEqualTo(node.address().toString());
            assertThat(document.self().state()).isEqualTo("ALIVE");
            assertThat(document.members())
                    .filteredOn(StatusDocument.MemberEntry::self)
                    .singleElement()
                    .isEqualTo(document.self());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("# TYPE process_uptime_seconds gauge");
        } finally {
            registry.close();
        }
    }

    @Test
    @Timeout(60)
    void status_nodeServingAndSubscribing_listsItsClusterAndPattern(@TempDir Path directory) throws Exception {
        Path key = directory.resolve("status-test.key");
        NetworkKey.generate("status-test").write(key, false);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Config config = Config.builder().keyFile(key).bind(new Endpoint("127.0.0.1", 0)).multicast(false)
                .name("router").meterRegistry(registry).build();
        try (Node node = Iridium.start(config);
                AdminServer server = AdminServer.start(node, registry, new Endpoint("127.0.0.1", 0));
                Service service = node.register("databases", new ServiceHandler() {});
                Subscription subscription = node.subscribe("orders.*", (topic, event) -> {})) {

            StatusDocument document = awaitRouting(server);

            StatusDocument.NodeRef self = new StatusDocument.NodeRef(node.self().id().toHex(), "router", node.address().toString());
            assertThat(document.clusters()).containsExactly(new StatusDocument.ClusterEntry("databases", List.of(self)));
            assertThat(document.topics()).containsExactly(new StatusDocument.TopicEntry("orders.*", List.of(self)));
        } finally {
            registry.close();
        }
    }

    /** GETs /status until it lists a cluster and a pattern (the registry publishes local changes at once or soon). */
    private static StatusDocument awaitRouting(AdminServer server) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (true) {
            StatusDocument document = StatusDocument.fromJson(HttpGet.get(server.uri().resolve("/status")).body());
            if ((!document.clusters().isEmpty() && !document.topics().isEmpty()) || System.nanoTime() - deadline > 0) {
                return document;
            }
            Thread.onSpinWait();
        }
    }
}
