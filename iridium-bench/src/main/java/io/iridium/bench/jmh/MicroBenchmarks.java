package io.iridium.bench.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH micro-benchmarks with the GC profiler, so that every row comes with its
 * allocation per operation ({@code gc.alloc.rate.norm}, B/op).
 *
 * <p>{@code MicroBenchmarks [REGEX] [--quick]}: the benchmarks whose name matches {@code REGEX}
 * (all by default); {@code --quick} shortens warm-up and measurement to one second each, for a
 * busy machine.
 */
public final class MicroBenchmarks {
    private MicroBenchmarks() {}

    public static void main(String[] args) throws RunnerException {
        String include = ".*(FrameCodec|TopicTrie|Balancer|RelayCodec)Benchmark.*";
        boolean quick = false;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else {
                include = arg;
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend(io.iridium.bench.ChildJvmOptions.after("-Xms512m", "-Xmx512m").toArray(String[]::new));
        if (quick) {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        new Runner(options.build()).run();
    }
}
