package io.iridium.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a report must say about where it ran: CPU model and count, memory, operating system,
 * Java runtime, and the versions of Iridium and of the peer clients (read from the Maven metadata
 * their jars carry).
 */
final class MachineInfo {
    private MachineInfo() {}

    static List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs available, "
                + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        lines.add("java: " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), workers run with "
                + String.join(" ", WorkerProcess.JVM_OPTIONS)
                + (WorkerProcess.extraJvmOptions().isEmpty() ? "" : " " + String.join(" ", WorkerProcess.extraJvmOptions())));
        lines.add("versions: iridium " + version("io.iridium", "iridium-core") + ", jnats "
                + io.nats.client.Nats.CLIENT_VERSION + ", jeromq " + version("org.zeromq", "jeromq") + ", HdrHistogram "
                + version("org.hdrhistogram", "HdrHistogram"));
        return lines;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch") + " CPU";
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.substring(9).replace("kB", "").trim());
                    return String.format(java.util.Locale.ROOT, "%.1f GiB RAM", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return "unknown RAM";
    }

    /** The version in a jar's {@code META-INF/maven/GROUP/ARTIFACT/pom.properties}, if it has one. */
    static String version(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = MachineInfo.class.getResourceAsStream(resource)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return group.equals("io.iridium") ? "(built from source)" : "unknown";
    }
}
