package io.iridium.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The runtime options every JVM that the benchmarks start gets (harness workers, JMH forks), the
 * same ones {@code bin/lib/java.sh} gives {@code bin/iridium}: native access for Netty's native
 * transport and, from JDK 23 on, {@code sun.misc.Unsafe} memory access. Without the latter, Netty
 * 4.2 turns Unsafe off on JDK 25 and reads and writes its direct buffers through
 * {@code ByteBuffer} views, which the profiles showed as the largest single cost of a small
 * message; a child JVM must not measure that slower fallback while the program itself runs
 * without it. And, as there, Netty may allocate direct memory without zeroing it (see
 * {@link #DIRECT_WITHOUT_ZEROING}).
 */
public final class ChildJvmOptions {
    /**
     * Lets Netty allocate its direct memory through {@code Unsafe} instead of
     * {@code ByteBuffer.allocateDirect}, which zeroes every new 4 MiB arena chunk: that zeroing
     * was 8.7% of a 1 KiB publisher's event loop, whose outbound TLS records make arenas grow and
     * shrink. Netty needs to open {@code DirectByteBuffer}'s private constructor for it.
     */
    static final List<String> DIRECT_WITHOUT_ZEROING =
            List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true");

    private ChildJvmOptions() {}

    /** The options for a child of a JVM of feature release {@code javaFeature}. */
    public static List<String> runtime(int javaFeature) {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (javaFeature >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        options.addAll(DIRECT_WITHOUT_ZEROING);
        return List.copyOf(options);
    }

    /** The options for a child started with this JVM's own java binary. */
    public static List<String> runtime() {
        return runtime(Runtime.version().feature());
    }

    /** {@code own} options followed by {@link #runtime()}. */
    public static List<String> after(String... own) {
        List<String> options = new ArrayList<>(List.of(own));
        options.addAll(runtime());
        return List.copyOf(options);
    }
}
