package io.iridium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line parses what it should, and rejects the rest with clear usage errors (exit 2). */
final class CliParsingTest {

    @Test
    void version_printsProjectAndJavaVersions() {
        RunResult result = RunResult.run("--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("iridium ").contains("Java ");
    }

    @Test
    void help_listsEveryCommand() {
        RunResult result = RunResult.run("--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("node", "keygen", "status", "demo");
    }

    @Test
    void noCommand_isAUsageErrorThatSuggestsTheDemo() {
        RunResult result = RunResult.run();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("Missing a command", "iridium demo");
    }

    @Test
    void unknownCommand_isAUsageError() {
        RunResult result = RunResult.run("frobnicate");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("frobnicate");
    }

    @Test
    void node_badBindPort_failsNamingTheOptionAndTheValue() {
        RunResult result = RunResult.run("node", "--dev", "--bind", "127.0.0.1:http");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--bind", "127.0.0.1:http", "HOST:PORT");
    }

    @Test
    void node_portOutOfRangeInJoinList_failsNamingTheOption() {
        RunResult result = RunResult.run("node", "--dev", "--join", "127.0.0.1:7946,127.0.0.1:70000");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--join", "127.0.0.1:70000", "out of range");
    }

    @Test
    void node_devAndKeyTogether_areRejectedAsMutuallyExclusive() {
        RunResult result = RunResult.run("node", "--dev", "--key", "network.key");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--dev", "--key", "mutually exclusive");
    }

    @Test
    void node_neitherDevNorKey_asksForANetworkKey() {
        RunResult result = RunResult.run("node", "--join", "10.0.0.1:7946");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("Missing a network key", "--key", "iridium keygen", "--dev");
    }

    @Test
    void node_everyOption_landsInTheConfig() {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs("node", "--key", "net.key", "--bind", "0.0.0.0:7000", "--advertise", "10.1.2.3:7000",
                "--join", "10.1.2.4:7000,10.1.2.5", "--dns", "iridium.default.svc", "--no-multicast",
                "--name", "alpha");
        NodeCommand node = commandLine.getSubcommands().get("node").getCommand();

        Config config = node.configBuilder().build();

        assertThat(config.dev()).isFalse();
        assertThat(config.keyFile()).contains(Path.of("net.key"));
        assertThat(config.bind()).contains(new Endpoint("0.0.0.0", 7000));
        assertThat(config.advertise()).contains(new Endpoint("10.1.2.3", 7000));
        assertThat(config.seeds())
                .containsExactly(new Endpoint("10.1.2.4", 7000), new Endpoint("10.1.2.5", Config.DEFAULT_PORT));
        assertThat(config.dnsName()).contains("iridium.default.svc");
        assertThat(config.multicast()).isFalse();
        assertThat(config.name()).contains("alpha");
    }

    @Test
    void node_devWithoutOtherOptions_keepsTheDevDefaults() {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs("node", "--dev");
        NodeCommand node = commandLine.getSubcommands().get("node").getCommand();

        Config config = node.configBuilder().build();

        assertThat(config.dev()).isTrue();
        assertThat(config.bind()).isEmpty();
        assertThat(config.multicast()).isFalse();
        assertThat(config.seeds()).isEmpty();
    }

    @Test
    void keygen_withoutOut_isAUsageError() {
        RunResult result = RunResult.run("keygen");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--out");
    }

    @Test
    void status_nodeThatIsNotAUrl_isAUsageError() {
        RunResult result = RunResult.run("status", "--node", "ftp://somewhere");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--node", "ftp://somewhere");
    }

    @Test
    void demo_nonPositiveDeadline_failsWithAClearMessage() {
        RunResult result = RunResult.run("demo", "--deadline", "0");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("--deadline").doesNotContain("Exception");
    }

    @Test
    void request_neitherDevNorKey_asksForANetworkKey() {
        RunResult result = RunResult.run("request", "echo", "hi");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("Missing a network key", "--key", "--dev");
    }

    @Test
    void request_badTimeout_isAUsageErrorNamingTheOption() {
        RunResult result = RunResult.run("request", "--dev", "echo", "hi", "--timeout", "5 parsecs");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--timeout", "5 parsecs", "500ms");
    }

    @Test
    void serve_echoAndExecTogether_areRejectedAsMutuallyExclusive() {
        RunResult result = RunResult.run("serve", "--dev", "echo", "--echo", "--exec", "cat");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--echo", "--exec", "mutually exclusive");
    }

    @Test
    void durations_parseAsWritten() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(converter.convert("5s")).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(converter.convert("1.5s")).isEqualTo(java.time.Duration.ofMillis(1_500));
        assertThat(converter.convert("2m")).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(converter.convert("PT3S")).isEqualTo(java.time.Duration.ofSeconds(3));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert("0s"))
                .isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void help_listsTheMessagingCommands() {
        RunResult result = RunResult.run("--help");

        assertThat(result.out()).contains("serve", "request", "broadcast", "pub", "sub", "tunnel");
    }
}
