package io.iridium.bench.jmh;

import io.iridium.routing.TopicTrie;
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
 * Subject matching, done for every publish: {@link TopicTrie#match} and {@link TopicTrie#hasMatch}
 * of a three-token subject against {@code patterns} subscriptions, a mix of exact patterns,
 * {@code *} and {@code >} wildcards (one in ten a wildcard), where the subject matches one exact
 * pattern and two wildcard ones.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicTrieBenchmark {

    @Param({"10", "1000"})
    public int patterns;

    private TopicTrie<Integer> trie;
    private final String subject = "orders.eu.created";
    private final String miss = "payments.us.settled";

    @Setup(Level.Trial)
    public void setUp() {
        trie = new TopicTrie<>();
        for (int i = 0; i < patterns; i++) {
            String pattern = switch (i % 10) {
                case 0 -> "orders.r" + i + ".*";
                case 5 -> "metrics.r" + i + ".>";
                default -> "orders.r" + i + ".created";
            };
            trie.add(pattern, i);
        }
        trie.add("orders.eu.created", -1);
        trie.add("orders.*.created", -2);
        trie.add("orders.>", -3);
    }

    @Benchmark
    public Object matchHit() {
        return trie.match(subject);
    }

    @Benchmark
    public boolean hasMatchHit() {
        return trie.hasMatch(subject);
    }

    @Benchmark
    public Object matchMiss() {
        return trie.match(miss);
    }
}
