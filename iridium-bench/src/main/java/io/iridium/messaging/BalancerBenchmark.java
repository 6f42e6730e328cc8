package io.iridium.messaging;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision of every request: {@link Balancer#choose} (power of two choices over
 * peak-EWMA cost) followed by the {@code started}/{@code finished} bookkeeping of the chosen
 * member, over a cluster of {@code members}. Lives in {@code io.iridium.messaging} because the
 * balancer is package-private; run with the GC profiler to see B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBenchmark {

    @Param({"1", "3", "16"})
    public int members;

    private final Balancer balancer = new Balancer();
    private final SplittableRandom random = new SplittableRandom(42);
    private List<Target> targets;

    @Setup(Level.Trial)
    public void setUp() {
        targets = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            targets.add(new Target(NodeId.random(random), new Endpoint("127.0.0.1", 7000 + i)));
        }
        targets = List.copyOf(targets);
    }

    @Benchmark
    public Target chooseAndAccount() {
        Target chosen = balancer.choose(targets, random);
        balancer.started(chosen.id());
        balancer.finished(chosen.id(), 50_000 + random.nextInt(10_000), true);
        return chosen;
    }

    @Benchmark
    public Target chooseOnly() {
        return balancer.choose(targets, random);
    }
}
