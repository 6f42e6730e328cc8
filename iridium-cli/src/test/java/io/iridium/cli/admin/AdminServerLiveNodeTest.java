package io.iridium.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.Node;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
