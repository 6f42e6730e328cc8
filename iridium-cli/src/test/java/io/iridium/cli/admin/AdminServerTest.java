package io.iridium.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MemberState;
import io.iridium.NodeId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API's routes and document shape, served for a node with a known membership. */
final class AdminServerTest {

    private static final Member SELF =
            new Member(new NodeId(0x1111L, 0x2222L), "alpha", new Endpoint("127.0.0.1", 7946), 3, MemberState.ALIVE);
    private static final Member SUSPECT =
            new Member(new NodeId(0x3333L, 0x4444L), "bravo", new Endpoint("127.0.0.1", 7947), 7, MemberState.SUSPECT);

    private PrometheusMeterRegistry registry;
    private AdminServer server;

    @BeforeEach
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("iridium.test.pings").increment(5);
        server = AdminServer.start(new StubNode(SELF, List.of(SUSPECT, SELF), registry), registry,
                new Endpoint("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void start_portZero_reportsTheBoundPort() {
        assertThat(server.address().host()).isEqualTo("127.0.0.1");
        assertThat(server.address().port()).isPositive();
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.address().port());
    }

    @Test
    void getStatus_returnsEveryMemberWithTheDocumentedFields() throws Exception {
        HttpResponse<String> response = HttpGet.get(server.uri().resolve("/status"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(json.get("self").get("id").asText()).isEqualTo(SELF.id().toHex()).hasSize(32);
        assertThat(json.get("self").get("self").asBoolean()).isTrue();
        JsonNode members = json.get("members");
        assertThat(members).hasSize(2);
        JsonNode alpha = members.get(0);
        assertThat(alpha.get("name").asText()).isEqualTo("alpha");
        assertThat(alpha.get("address").asText()).isEqualTo("127.0.0.1:7946");
        assertThat(alpha.get("state").asText()).isEqualTo("ALIVE");
        assertThat(alpha.get("incarnation").asLong()).isEqualTo(3);
        assertThat(alpha.get("self").asBoolean()).isTrue();
        JsonNode bravo = members.get(1);
        assertThat(bravo.get("id").asText()).isEqualTo(SUSPECT.id().toHex());
        assertThat(bravo.get("state").asText()).isEqualTo("SUSPECT");
        assertThat(bravo.get("incarnation").asLong()).isEqualTo(7);
        assertThat(bravo.get("self").asBoolean()).isFalse();
    }

    @Test
    void getMetrics_returnsPrometheusText() throws Exception {
        HttpResponse<String> response = HttpGet.get(server.uri().resolve("/metrics"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("# TYPE iridium_test_pings_total counter", "iridium_test_pings_total 5.0");
    }

    @Test
    void getOtherPath_isNotFound() throws Exception {
        HttpResponse<String> response = HttpGet.get(server.uri().resolve("/status/extra"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/status", "/metrics");
    }

    @Test
    void postStatus_isMethodNotAllowed() throws Exception {
        HttpResponse<String> response = HttpGet.send("POST", server.uri().resolve("/status"));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void start_portTaken_failsNamingTheAddress() {
        Endpoint taken = server.address();

        assertThatThrownBy(() -> AdminServer.start(new StubNode(SELF, List.of(SELF), registry), registry, taken))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(taken.toString());
    }

    @Test
    void startOnFirstFreePort_firstTaken_takesTheNext() {
        int taken = server.address().port();
        try (AdminServer next = AdminServer.startOnFirstFreePort(
                new StubNode(SELF, List.of(SELF), registry), registry, "127.0.0.1", taken, 50)) {
            assertThat(next.address().port()).isGreaterThan(taken);
        }
    }
}
